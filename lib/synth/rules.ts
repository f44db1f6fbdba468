// The rule pack: checks applied to every resource of every stack after it is resolved (the JSON that is
// written), in the spirit of cdk-nag. InfraStack runs it when the stack renders (lib/synth/stack.ts), so
// `npm run synth`, Testing.synth and every test see the same result. A finding fails synth with a
// ConfigError naming the resource's construct path; a finding the stack must keep for tree parity is
// suppressed with a reason (`suppressRule`), and suppressions are listed in the synth report.
//
// Rules (ids are what `suppressRule` takes):
// - images-pinned: every container image of a pod template has a tag other than `latest` or a digest.
// - no-credential-literals: no credential-shaped literal anywhere (ghp_, glpat-, sk-ant-, hf_, xox?-, AKIA,
//   private-key blocks, JWTs, URLs with a password), and none by name in container env values,
//   ConfigMap data or an ExternalSecret's template data.
// - lifecycle-ignores: pod templates ignore Kyverno's dns_config; Deployments/StatefulSets/DaemonSets also
//   ignore the Keel annotations (or all annotations) unless they write keel.sh/policy themselves or their
//   namespace (declared in the stack) is not Keel-enrolled.
// - unique-objects: no two Ingresses, or two Services, with one name in one namespace, in one stack or
//   across the stacks of one app.
// - selector-in-template: a workload's selector labels are a subset of its pod template labels.
// - tier-consistent: a `tier` label on an object in a namespace of the stack equals that namespace's tier.
import type { IConstruct } from 'constructs';
import { credentialReason, credentialShape, REDACTED } from '../validation/credentials';
import { ConfigError } from '../validation/errors';
import { isPinnedImage } from '../validation/validate';

export const RULES = [
  'images-pinned',
  'no-credential-literals',
  'lifecycle-ignores',
  'unique-objects',
  'selector-in-template',
  'tier-consistent',
] as const;
export type RuleId = (typeof RULES)[number];

/** A rule the stack keeps breaking on purpose, with the reason (shown in the synth report). */
export interface Suppression {
  readonly rule: RuleId;
  readonly reason: string;
}

/** A suppression that matched a finding: where, what, and why it is accepted. */
export interface AppliedSuppression extends Suppression {
  readonly path: string;
  readonly address: string;
  readonly finding: string;
}

const suppressions = new WeakMap<IConstruct, Suppression[]>();

/**
 * Accepts findings of `rule` on `scope` and everything below it, for a reason a reviewer can check
 * (e.g. "tree parity: the tree deploys viktorbarzin/blog:latest and Keel tracks it"). The reason is required.
 */
export function suppressRule(scope: IConstruct, rule: RuleId, reason: string): void {
  if (!(RULES as readonly string[]).includes(rule)) {
    throw new ConfigError(scope.node.path, 'rule', rule, `one of ${RULES.join(', ')}`);
  }
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    throw new ConfigError(
      scope.node.path,
      `suppression reason of ${rule}`,
      reason,
      'a reason of at least 10 characters',
    );
  }
  const list = suppressions.get(scope) ?? [];
  list.push({ rule, reason: reason.trim() });
  suppressions.set(scope, list);
}

/** The suppression of `rule` on `construct` or its nearest ancestor that has one. */
function suppressionFor(construct: IConstruct, rule: RuleId): Suppression | undefined {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    const s = suppressions.get(c)?.find((x) => x.rule === rule);
    if (s) return s;
  }
  return undefined;
}

export interface Finding {
  readonly rule: RuleId;
  /** `type.name` of the resource. */
  readonly address: string;
  /** Attribute path in the resource, e.g. `spec.template.spec.container[0].image`. */
  readonly attribute: string;
  /** The value, redacted when it is a credential. */
  readonly value: unknown;
  readonly allowed: string;
}

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Provider blocks are lists of one in some bindings and objects in others: read both. */
const one = (v: Json): Obj | undefined =>
  Array.isArray(v) ? (isObj(v[0]) ? v[0] : undefined) : isObj(v) ? v : undefined;
const list = (v: Json): Obj[] => (Array.isArray(v) ? v.filter(isObj) : isObj(v) ? [v] : []);

const POD_TEMPLATE_TYPES =
  /^kubernetes_(deployment|stateful_set|daemon_set|daemonset|job|cron_job|replication_controller)(_v1)?$/;
const KEEL_TYPES = /^kubernetes_(deployment|stateful_set|daemon_set|daemonset)(_v1)?$/;

/** The pod template of a workload resource and its attribute path. */
function podTemplate(type: string, attrs: Obj): { path: string; template: Obj } | undefined {
  const spec = one(attrs.spec);
  if (!spec) return undefined;
  if (/cron_job/.test(type)) {
    const jt = one(one(spec.job_template)?.spec);
    const t = one(jt?.template);
    return t ? { path: 'spec.job_template.spec.template', template: t } : undefined;
  }
  const t = one(spec.template);
  return t ? { path: 'spec.template', template: t } : undefined;
}

function checkImages(type: string, name: string, attrs: Obj, out: Finding[]): void {
  const pod = podTemplate(type, attrs);
  if (!pod) return;
  // Keel's force policy tracks a moving tag and Terraform ignores the image: that is the pin.
  const annotations = one(attrs.metadata)?.annotations;
  if (isObj(annotations) && annotations['keel.sh/policy'] === 'force') return;
  const spec = one(pod.template.spec);
  for (const kind of ['init_container', 'container']) {
    list(spec?.[kind]).forEach((c, i) => {
      const image = c.image;
      if (typeof image === 'string' && !image.includes('${') && !isPinnedImage(image)) {
        out.push({
          rule: 'images-pinned',
          address: `${type}.${name}`,
          attribute: `${pod.path}.spec.${kind}[${i}].image`,
          value: image,
          allowed: 'an image pinned by tag or digest (not "latest", not untagged)',
        });
      }
    });
  }
}

/** Walks every string of a resource for credential shapes, and named places for credential names. */
function checkCredentials(type: string, name: string, attrs: Obj, out: Finding[]): void {
  const address = `${type}.${name}`;
  const found = (attribute: string, reason: string) =>
    out.push({
      rule: 'no-credential-literals',
      address,
      attribute,
      value: REDACTED,
      allowed: `no credential in the configuration (${reason}): read it from Vault or a Secret at plan/run time`,
    });
  const isRef = (s: string) => /^\$\{[^}]+\}$/.test(s);
  // Secrets' own data is where secret values belong (filled from Vault references).
  const skip = new Set(/^kubernetes_secret(_v1)?$/.test(type) ? ['data', 'binary_data'] : []);
  const walk = (v: Json, path: string, key: string | undefined, byName: boolean): void => {
    if (typeof v === 'string') {
      if (isRef(v)) return;
      const shape = credentialShape(v);
      // A Go template (`{{ .password }}`) names a fetched value; judged by its shape only.
      const literal = byName && !v.includes('{{');
      const reason = shape ? `the value looks like ${shape}` : literal ? credentialReason(key, v) : undefined;
      if (reason) found(path, reason);
      return;
    }
    if (Array.isArray(v)) return v.forEach((c, i) => walk(c, `${path}[${i}]`, key, byName));
    if (!isObj(v)) return;
    // Container env {name, value}: judged by the variable's name too.
    if (typeof v.name === 'string' && 'value' in v && typeof v.value === 'string') {
      if (!isRef(v.value)) {
        const reason = credentialReason(v.name, v.value);
        if (reason) found(`${path}.value`, reason);
      }
    }
    for (const [k, c] of Object.entries(v)) {
      if (path === '' && skip.has(k)) continue;
      if (k === 'value' && typeof v.name === 'string') continue;
      const p = path ? `${path}.${k}` : k;
      // ConfigMap data and ExternalSecret template data: keys are names of what they hold.
      const named =
        byName || (path === '' && k === 'data' && /config_map/.test(type)) || /(^|\.)template\.data$/.test(p);
      walk(c, p, k, named);
    }
  };
  walk(attrs, '', undefined, false);
}

function checkLifecycle(type: string, name: string, attrs: Obj, keelEnrolled: boolean, out: Finding[]): void {
  const pod = podTemplate(type, attrs);
  if (!pod) return;
  const lifecycle = one(attrs.lifecycle);
  const ignored = Array.isArray(lifecycle?.ignore_changes) ? (lifecycle.ignore_changes as Json[]) : [];
  const has = (re: RegExp) => ignored.some((p) => typeof p === 'string' && re.test(p));
  const address = `${type}.${name}`;
  if (!has(/\.spec\[0\]\.dns_config$/)) {
    out.push({
      rule: 'lifecycle-ignores',
      address,
      attribute: 'lifecycle.ignore_changes',
      value: ignored,
      allowed:
        'the Kyverno dns_config path of the pod template (Ignore.kyvernoPodDnsConfig / kyvernoCronJobDnsConfig)',
    });
  }
  const annotations = one(attrs.metadata)?.annotations;
  // A workload that writes keel.sh/policy itself (never, or a policy Terraform owns) keeps Kyverno's
  // injection off its annotations: nothing to ignore.
  const ownsPolicy = isObj(annotations) && typeof annotations['keel.sh/policy'] === 'string';
  if (
    KEEL_TYPES.test(type) &&
    keelEnrolled &&
    !ownsPolicy &&
    !has(/^metadata\[0\]\.annotations(\["keel\.sh\/(policy|trigger)"\])?$/)
  ) {
    out.push({
      rule: 'lifecycle-ignores',
      address,
      attribute: 'lifecycle.ignore_changes',
      value: ignored,
      allowed:
        'the Keel annotations Kyverno injects (Ignore.keelAnnotations or keelPollAnnotations), or a keel.sh/policy the workload writes itself',
    });
  }
}

/** Runs every per-resource and cross-resource rule over one stack's resolved `resource` block. */
export function checkResources(resources: Record<string, Record<string, Json>>): Finding[] {
  const out: Finding[] = [];
  const byKind = new Map<string, string>(); // "Ingress ns/name" -> address
  const nsTier = new Map<string, string>(); // namespace name or its reference -> tier label
  const nsKeel = new Map<string, boolean>(); // ... -> has keel.sh/enrolled=true
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, attrs] of Object.entries(byName)) {
      if (!isObj(attrs)) continue;
      if (POD_TEMPLATE_TYPES.test(type)) {
        checkImages(type, name, attrs, out);
      }
      checkCredentials(type, name, attrs, out);
      if (/^kubernetes_namespace(_v1)?$/.test(type)) {
        const meta = one(attrs.metadata);
        const nsLabels = isObj(meta?.labels) ? meta.labels : {};
        if (typeof meta?.name === 'string') {
          for (const key of [meta.name, `\${${type}.${name}.metadata[0].name}`]) {
            if (typeof nsLabels.tier === 'string') nsTier.set(key, nsLabels.tier);
            nsKeel.set(key, nsLabels['keel.sh/enrolled'] === 'true');
          }
        }
      }
    }
  }
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, attrs] of Object.entries(byName)) {
      if (!isObj(attrs)) continue;
      const address = `${type}.${name}`;
      const meta = one(attrs.metadata);
      const ns = typeof meta?.namespace === 'string' ? meta.namespace : 'default';
      const kind = /^kubernetes_ingress(_v1)?$/.test(type)
        ? 'Ingress'
        : /^kubernetes_service(_v1)?$/.test(type)
          ? 'Service'
          : undefined;
      if (kind && typeof meta?.name === 'string') {
        const key = `${kind} ${ns}/${meta.name}`;
        const other = byKind.get(key);
        if (other) {
          out.push({
            rule: 'unique-objects',
            address,
            attribute: 'metadata.name',
            value: meta.name,
            allowed: `a name no other ${kind} in namespace ${ns} has (${other} has it): two resources would fight over one object`,
          });
        } else byKind.set(key, address);
      }
      // Kyverno adds Keel annotations in enrolled namespaces; one declared elsewhere is assumed enrolled.
      if (POD_TEMPLATE_TYPES.test(type)) checkLifecycle(type, name, attrs, nsKeel.get(ns) ?? true, out);
      const tier = isObj(meta?.labels) ? meta.labels.tier : undefined;
      const want = nsTier.get(ns);
      if (
        typeof tier === 'string' &&
        want !== undefined &&
        tier !== want &&
        !/^kubernetes_namespace/.test(type)
      ) {
        out.push({
          rule: 'tier-consistent',
          address,
          attribute: 'metadata.labels.tier',
          value: tier,
          allowed: `"${want}", the tier of namespace ${ns}`,
        });
      }
      if (POD_TEMPLATE_TYPES.test(type) && !/cron_job|^kubernetes_job/.test(type)) {
        const selector = one(one(attrs.spec)?.selector);
        const match = isObj(selector?.match_labels) ? selector.match_labels : undefined;
        const tlabels = one(podTemplate(type, attrs)?.template.metadata)?.labels;
        if (match) {
          const t = isObj(tlabels) ? tlabels : {};
          const missing = Object.entries(match).filter(([k, v]) => t[k] !== v);
          if (missing.length) {
            out.push({
              rule: 'selector-in-template',
              address,
              attribute: 'spec.template.metadata.labels',
              value: t,
              allowed: `labels including the selector ${JSON.stringify(match)} (the API server rejects the workload otherwise)`,
            });
          }
        }
      }
    }
  }
  return out;
}

/** An Ingress or Service as the cluster names it: kind, namespace (references resolved) and name. */
export interface NamedObject {
  readonly key: string;
  readonly address: string;
}

/**
 * The Ingresses and Services of one stack's resources, keyed `Kind namespace/name`, with namespace
 * references (`${kubernetes_namespace.x.metadata[0].name}`) resolved to the namespace's literal name,
 * so two stacks can be compared (unique-objects across the app).
 */
export function namedObjects(resources: Record<string, Record<string, Json>>): NamedObject[] {
  const nsName = new Map<string, string>();
  for (const [type, byName] of Object.entries(resources)) {
    if (!/^kubernetes_namespace(_v1)?$/.test(type)) continue;
    for (const [name, attrs] of Object.entries(byName)) {
      const meta = isObj(attrs) ? one(attrs.metadata) : undefined;
      if (typeof meta?.name === 'string') nsName.set(`\${${type}.${name}.metadata[0].name}`, meta.name);
    }
  }
  const out: NamedObject[] = [];
  for (const [type, byName] of Object.entries(resources)) {
    const kind = /^kubernetes_ingress(_v1)?$/.test(type)
      ? 'Ingress'
      : /^kubernetes_service(_v1)?$/.test(type)
        ? 'Service'
        : undefined;
    if (!kind) continue;
    for (const [name, attrs] of Object.entries(byName)) {
      const meta = isObj(attrs) ? one(attrs.metadata) : undefined;
      if (typeof meta?.name !== 'string') continue;
      const raw = typeof meta.namespace === 'string' ? meta.namespace : 'default';
      const ns = nsName.get(raw) ?? raw;
      if (ns.includes('${')) continue; // a reference this stack cannot resolve: nothing to compare
      out.push({ key: `${kind} ${ns}/${meta.name}`, address: `${type}.${name}` });
    }
  }
  return out;
}

/**
 * unique-objects across stacks: `seen` maps an object key to the stack and address that declared it first
 * (one map per app). Objects of `stack` that another stack already declares are findings; the others are
 * recorded. Re-rendering a stack finds nothing new.
 */
export function checkAcrossStacks(
  stack: string,
  objects: readonly NamedObject[],
  seen: Map<string, { readonly stack: string; readonly address: string }>,
): Finding[] {
  const out: Finding[] = [];
  for (const o of objects) {
    const other = seen.get(o.key);
    if (other && other.stack !== stack) {
      const [kind, where] = o.key.split(' ');
      out.push({
        rule: 'unique-objects',
        address: o.address,
        attribute: 'metadata.name',
        value: where.split('/')[1],
        allowed: `a name no other ${kind} in namespace ${where.split('/')[0]} has (stack ${other.stack}: ${other.address} has it): two stacks would fight over one object`,
      });
    } else if (!other) seen.set(o.key, { stack, address: o.address });
  }
  return out;
}

/**
 * Splits findings into suppressed ones (returned, for the report) and the rest (thrown as one
 * ConfigError per finding, the first with the others listed). `constructOf` maps an address to the
 * construct that declared it.
 */
export function enforce(
  findings: readonly Finding[],
  constructOf: (address: string) => IConstruct | undefined,
  stackPath: string,
): AppliedSuppression[] {
  const applied: AppliedSuppression[] = [];
  const errors: ConfigError[] = [];
  for (const f of findings) {
    const c = constructOf(f.address);
    const s = c ? suppressionFor(c, f.rule) : undefined;
    const path = c?.node.path ?? `${stackPath} ${f.address}`;
    if (s)
      applied.push({
        ...s,
        path,
        address: f.address,
        finding: `${f.attribute} = ${JSON.stringify(f.value)}`,
      });
    else
      errors.push(
        new ConfigError(
          path,
          f.attribute,
          f.value,
          `${f.allowed} [rule ${f.rule}; suppressRule(scope, '${f.rule}', reason) for tree parity]`,
        ),
      );
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    const first = errors[0];
    const err = new ConfigError(first.constructPath, first.prop, first.value, first.allowed);
    err.message += `\n  and ${errors.length - 1} more:\n  ${errors
      .slice(1)
      .map((e) => e.message)
      .join('\n  ')}`;
    throw err;
  }
  return applied;
}
