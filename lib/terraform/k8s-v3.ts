// The one escape hatch for hashicorp/kubernetes 3.x attributes the tree uses but the 2.38-generated
// bindings lack. An attribute is emitted through `setV3Attribute` only when it is listed in V3_ATTRIBUTES
// (and in docs/provider-3x-attributes.md); nothing else in the project calls addOverride on kubernetes
// resources. Check the binding first: most attributes the tree uses are there (see the doc).
import type { TerraformResource } from 'cdktf';
import type { CronJobV1 } from '@cdktf/provider-kubernetes/lib/cron-job-v1';

export interface V3Attribute {
  /** Terraform resource type, e.g. "kubernetes_deployment". */
  readonly resource: string;
  /** Attribute path as addOverride takes it (blocks by name, lists by index), e.g. "spec.template.spec.x". */
  readonly path: string;
  /** Provider release that added it, e.g. "hashicorp/kubernetes 3.0.0". */
  readonly since: string;
  /** Which stack needs it and why. */
  readonly why: string;
}

/**
 * Attributes emitted through the escape hatch. Empty: every attribute the ported stacks use is in the
 * 2.38 bindings (CronJob `spec.timezone` among them, since provider 2.18).
 */
export const V3_ATTRIBUTES: readonly V3Attribute[] = [];

/**
 * Sets a provider-3.x attribute the bindings lack. Throws unless `(resource type, path)` is listed in
 * `allowed` (V3_ATTRIBUTES), so every use is documented and the list says what to remove once the
 * bindings are regenerated from a 3.x schema.
 */
export function setV3Attribute(
  resource: TerraformResource,
  path: string,
  value: unknown,
  allowed: readonly V3Attribute[] = V3_ATTRIBUTES,
): void {
  const type = resource.terraformResourceType;
  if (!allowed.some((a) => a.resource === type && a.path === path)) {
    throw new Error(
      `setV3Attribute: ${type}.${path} is not listed in V3_ATTRIBUTES; if the binding really lacks it, ` +
        'add it there and to docs/provider-3x-attributes.md',
    );
  }
  resource.addOverride(path, value);
}

/**
 * `kubernetes_cron_job_v1.spec.timezone` (Kubernetes CronJob `spec.timeZone`), e.g. "Europe/London".
 * @deprecated The 2.38 bindings have it: pass `spec: { timezone }` in the CronJobV1 config. Kept as a
 * typed setter (no override) for callers written against the first version of this module.
 */
export function setCronJobTimezone(cronJob: CronJobV1, timezone: string): void {
  cronJob.spec.timezone = timezone;
}
