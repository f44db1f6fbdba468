// A small typed binding for gavinbunney/kubectl (no prebuilt cdktf package exists): the provider and
// `kubectl_manifest`, the resource the tree uses for CRDs (Traefik Middlewares, Kyverno policies,
// KubeVirt VMs) because `kubernetes_manifest` needs the CRD at plan time.
import type { Construct } from 'constructs';
import { TerraformProvider, TerraformResource, type TerraformMetaArguments } from 'cdktf';

export const KUBECTL_SOURCE = 'gavinbunney/kubectl';
export const KUBECTL_VERSION = '~> 1.14';

/**
 * Schema of what this binding can express, in `terraform providers schema -json` shape (the offline
 * stub providers in tools/tf-stub serve it; docs/terraform-stubs.md). Attributes the binding sets are
 * the provider's own (gavinbunney/kubectl 1.14); `computed` ones are what the provider reports back.
 * Keep it next to the binding: adding an option above means adding it here.
 */
export const KUBECTL_SCHEMA = {
  provider: {
    version: 0,
    block: {
      attributes: {
        config_path: { type: 'string', optional: true },
        load_config_file: { type: 'bool', optional: true },
      },
    },
  },
  resource_schemas: {
    kubectl_manifest: {
      version: 1,
      block: {
        attributes: {
          id: { type: 'string', optional: true, computed: true },
          yaml_body: { type: 'string', required: true, sensitive: true },
          server_side_apply: { type: 'bool', optional: true },
          force_conflicts: { type: 'bool', optional: true },
          apply_only: { type: 'bool', optional: true },
          wait: { type: 'bool', optional: true },
          wait_for_rollout: { type: 'bool', optional: true },
          validate_schema: { type: 'bool', optional: true },
          ignore_fields: { type: ['list', 'string'], optional: true },
          sensitive_fields: { type: ['list', 'string'], optional: true },
          override_namespace: { type: 'string', optional: true },
          api_version: { type: 'string', computed: true },
          kind: { type: 'string', computed: true },
          name: { type: 'string', computed: true },
          namespace: { type: 'string', computed: true },
          uid: { type: 'string', computed: true },
          live_uid: { type: 'string', computed: true },
          yaml_body_parsed: { type: 'string', computed: true },
          yaml_incluster: { type: 'string', computed: true, sensitive: true },
          live_manifest_incluster: { type: 'string', computed: true, sensitive: true },
        },
      },
    },
  },
  data_source_schemas: {},
} as const;

export interface KubectlProviderConfig {
  /** Path of the kubeconfig. */
  readonly configPath?: string;
  /** Whether to load the kubeconfig file. */
  readonly loadConfigFile?: boolean;
  /** Provider alias. */
  readonly alias?: string;
}

export class KubectlProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    private readonly config: KubectlProviderConfig = {},
  ) {
    super(scope, id, {
      terraformResourceType: 'kubectl',
      terraformGeneratorMetadata: { providerName: 'kubectl', providerVersionConstraint: KUBECTL_VERSION },
      terraformProviderSource: KUBECTL_SOURCE,
    });
    this.alias = config.alias;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return dropUndefined({
      config_path: this.config.configPath,
      load_config_file: this.config.loadConfigFile,
      alias: this.alias,
    });
  }
}

export interface KubectlManifestConfig extends TerraformMetaArguments {
  /** The manifest as YAML (one document). */
  readonly yamlBody: string;
  /** Apply server-side. @default provider default (false) */
  readonly serverSideApply?: boolean;
  /** Take field ownership on conflicts (server-side apply). @default provider default (false) */
  readonly forceConflicts?: boolean;
  /** Create only; never update or delete. @default provider default (false) */
  readonly applyOnly?: boolean;
  /** Wait for deletion to finish. @default provider default */
  readonly wait?: boolean;
  /** Wait for rollout of workloads. @default provider default (true) */
  readonly waitForRollout?: boolean;
  /** Validate against the OpenAPI schema. @default provider default (true) */
  readonly validateSchema?: boolean;
  /** Fields (YAML paths) to ignore in diffs. @default none */
  readonly ignoreFields?: string[];
  /** Fields to mark sensitive. @default none */
  readonly sensitiveFields?: string[];
  /** Namespace to force on the object. @default the manifest's */
  readonly overrideNamespace?: string;
}

export class KubectlManifest extends TerraformResource {
  static readonly tfResourceType = 'kubectl_manifest';

  constructor(
    scope: Construct,
    id: string,
    private readonly config: KubectlManifestConfig,
  ) {
    super(scope, id, {
      terraformResourceType: KubectlManifest.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'kubectl', providerVersionConstraint: KUBECTL_VERSION },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      forEach: config.forEach,
    });
  }

  get yamlBody(): string {
    return this.config.yamlBody;
  }

  /** `kubectl_manifest.<name>.id` */
  get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return dropUndefined({
      yaml_body: c.yamlBody,
      server_side_apply: c.serverSideApply,
      force_conflicts: c.forceConflicts,
      apply_only: c.applyOnly,
      wait: c.wait,
      wait_for_rollout: c.waitForRollout,
      validate_schema: c.validateSchema,
      ignore_fields: c.ignoreFields,
      sensitive_fields: c.sensitiveFields,
      override_namespace: c.overrideNamespace,
    });
  }
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
