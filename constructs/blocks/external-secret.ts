import { Construct } from 'constructs';
import type { VaultSecretRef } from '../../lib/conventions/vault';
import type { ITerraformDependable } from 'cdktf';
import { DataKubernetesSecret } from '@cdktf/provider-kubernetes/lib/data-kubernetes-secret';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { addressName, movedFrom, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { isToken, k8sName, matches, nonEmptyString, oneOf } from '../../lib/validation/validate';
import { checkNestedProps, checkProps } from '../../lib/validation/props';
import { EXTERNAL_SECRET_KEYS, EXTERNAL_SECRET_KEY_KEYS, SYNCED_SECRET_KEYS } from './prop-keys';
import { namespaceName } from '../../lib/validation/conventions';
import { credentialReason, credentialShape } from '../../lib/validation/credentials';
import type { INamespace } from './tiered-namespace';

export interface ExternalSecretKey {
  /** Key in the generated Kubernetes Secret. */
  readonly secretKey: string;
  /** Where the value lives in Vault. */
  readonly vault: VaultSecretRef;
}

export interface ExternalSecretProps {
  /** Namespace of the ExternalSecret and its Secret. */
  readonly namespace: INamespace;
  /** ExternalSecret name. @default the construct id */
  readonly name?: string;
  /** Name of the generated Secret. @default the ExternalSecret name */
  readonly targetName?: string;
  /** Keys copied one by one from Vault. @default none (then `extractPaths` is required) */
  readonly data?: ExternalSecretKey[];
  /** Vault paths whose every property becomes a key (`dataFrom.extract`). @default none */
  readonly extractPaths?: string[];
  /** `target.creationPolicy`, e.g. "Owner". @default not set (ESO default) */
  readonly creationPolicy?: string;
  /**
   * `target.template`, as ESO takes it (e.g. `{ metadata: { annotations: {...} } }` or
   * `{ engineVersion: 'v2', data: { userdata: '{{ .key }}' } }`). @default no template
   */
  readonly template?: Record<string, unknown>;
  /** Refresh interval. @default "1h" */
  readonly refreshInterval?: string;
  /** ClusterSecretStore to read from. @default "vault-kv" */
  readonly storeName?: string;
  /** Explicit dependencies (e.g. the namespace). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** A tree address this replaces, e.g. "module.anubis.kubernetes_manifest.ed25519_secret". @default none */
  readonly legacyAddress?: string;
  /**
   * `field_manager.force_conflicts`: take over fields another manager set. `false` writes no
   * field_manager block, as a tree ExternalSecret without one. @default true
   */
  readonly forceConflicts?: boolean;
}

/** Options of `ExternalSecret.syncedSecret()`. */
export interface SyncedSecretOptions {
  /**
   * The namespace the read names: the same namespace as the ExternalSecret, given as the TieredNamespace
   * where the tree's data source refers to the namespace resource while its manifest writes the literal
   * name (`byLiteralName`). @default the ExternalSecret's namespace, as it was given
   */
  readonly namespace?: INamespace;
}

/**
 * An ExternalSecret (`external-secrets.io/v1`) reading Vault through the `vault-kv` ClusterSecretStore,
 * applied with `kubernetes_manifest` and `force_conflicts` like every one in the tree. Secret values are
 * fetched in-cluster by ESO: nothing secret is synthesized. Address: `kubernetes_manifest.<id>`.
 */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const VAULT_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
/** ESO's `target.creationPolicy` values. */
const CREATION_POLICIES = ['Owner', 'Orphan', 'Merge', 'None'] as const;

/** `template.data` values are Go templates over the fetched keys: a literal credential there is a leak. */
function checkTemplate(scope: Construct, template: Record<string, unknown>): void {
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    invalid(scope, 'template', template, 'an ESO target template object');
  }
  const data = template.data;
  if (data === undefined) return;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    invalid(scope, 'template.data', data, 'a map of key -> Go template such as "{{ .password }}"');
  }
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v !== 'string') invalid(scope, `template.data.${k}`, v, 'a string (a Go template)');
    const reason = isToken(v) || v.includes('{{') ? credentialShape(v) : credentialReason(k, v);
    if (reason) {
      invalid(
        scope,
        `template.data.${k}`,
        v,
        `a template over the fetched keys such as "{{ .${k} }}", not a literal credential (${reason})`,
      );
    }
  }
}

export class ExternalSecret extends Construct {
  /** Name of the Kubernetes Secret ESO maintains. */
  readonly secretName: string;
  readonly resource: Manifest;
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    checkProps(this, 'props', props, EXTERNAL_SECRET_KEYS);
    checkNestedProps(this, '', props, { data: EXTERNAL_SECRET_KEY_KEYS });
    const name = k8sName(this, 'name', props.name ?? id);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    this.secretName = k8sName(this, 'targetName', props.targetName ?? name);
    const data = props.data ?? [];
    const extract = props.extractPaths ?? [];
    if (data.length === 0 && extract.length === 0) {
      invalid(this, 'data', props.data, 'at least one key (or set extractPaths)');
    }
    data.forEach((d, i) => {
      matches(
        this,
        `data[${i}].secretKey`,
        d.secretKey,
        SECRET_KEY,
        "a Secret key: letters, digits, '-', '_', '.'",
      );
      matches(
        this,
        `data[${i}].vault.path`,
        d.vault?.path,
        VAULT_PATH,
        'a Vault path below the secret/ mount, e.g. "viktor"',
      );
      nonEmptyString(this, `data[${i}].vault.property`, d.vault.property);
    });
    extract.forEach((p, i) =>
      matches(
        this,
        `extractPaths[${i}]`,
        p,
        VAULT_PATH,
        'a Vault path below the secret/ mount without a leading "/", e.g. "viktor"',
      ),
    );
    if (props.creationPolicy !== undefined) {
      oneOf(this, 'creationPolicy', props.creationPolicy, CREATION_POLICIES);
    }
    if (props.template !== undefined) checkTemplate(this, props.template);
    const refreshInterval = matches(
      this,
      'refreshInterval',
      props.refreshInterval ?? '1h',
      /^\d+[smh]$/,
      'a duration such as "1h" or "15m"',
    );

    const target: Record<string, unknown> = { name: this.secretName };
    if (props.creationPolicy !== undefined) target.creationPolicy = props.creationPolicy;
    if (props.template !== undefined) target.template = props.template;
    const spec: Record<string, unknown> = {
      refreshInterval,
      secretStoreRef: { name: props.storeName ?? 'vault-kv', kind: 'ClusterSecretStore' },
      target,
    };
    if (data.length) {
      spec.data = data.map((d) => ({
        secretKey: d.secretKey,
        remoteRef: { key: d.vault.path, property: d.vault.property },
      }));
    }
    if (extract.length) spec.dataFrom = extract.map((key) => ({ extract: { key } }));

    this.resource = named(this, Manifest, addressName(this), {
      manifest: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name, namespace: props.namespace.name },
        spec,
      },
      fieldManager: props.forceConflicts === false ? undefined : { forceConflicts: true },
      dependsOn: props.dependsOn,
    });
    if (props.legacyAddress) movedFrom(this.resource, props.legacyAddress);
    this.namespace = props.namespace.name;
  }

  /**
   * Reads back the Secret ESO maintains, for a value Terraform itself needs at plan time (the tree's
   * homepage widget keys): `data.kubernetes_secret.<addressName>`, read after the ExternalSecret exists.
   * Its values stay in Terraform state only, never in the synthesized JSON.
   */
  syncedSecret(addressName: string, options: SyncedSecretOptions = {}): DataKubernetesSecret {
    checkProps(this, 'syncedSecret options', options, SYNCED_SECRET_KEYS);
    let namespace = this.namespace;
    if (options.namespace !== undefined) {
      namespace = namespaceName(this, 'syncedSecret namespace.name', options.namespace?.name);
      if (!isToken(namespace) && !isToken(this.namespace) && namespace !== this.namespace) {
        invalid(
          this,
          'syncedSecret namespace.name',
          namespace,
          `the ExternalSecret's namespace "${this.namespace}" (ESO writes the Secret there)`,
        );
      }
    }
    return named(this, DataKubernetesSecret, addressName, {
      metadata: { name: this.secretName, namespace },
      dependsOn: [this.resource],
    });
  }
}
