import { Construct } from 'constructs';
import type { VaultSecretRef } from '../../lib/conventions/vault';
import type { ITerraformDependable } from 'cdktf';
import { DataKubernetesSecret } from '@cdktf/provider-kubernetes/lib/data-kubernetes-secret';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { addressName, movedFrom, named } from '../../lib/terraform/addresses';
import { invalid } from '../../lib/validation/errors';
import { k8sName, matches, nonEmptyString } from '../../lib/validation/validate';

export interface ExternalSecretKey {
  /** Key in the generated Kubernetes Secret. */
  readonly secretKey: string;
  /** Where the value lives in Vault. */
  readonly vault: VaultSecretRef;
}

export interface ExternalSecretProps {
  /** Namespace of the ExternalSecret and its Secret. */
  readonly namespace: string;
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
}

/**
 * An ExternalSecret (`external-secrets.io/v1`) reading Vault through the `vault-kv` ClusterSecretStore,
 * applied with `kubernetes_manifest` and `force_conflicts` like every one in the tree. Secret values are
 * fetched in-cluster by ESO: nothing secret is synthesized. Address: `kubernetes_manifest.<id>`.
 */
export class ExternalSecret extends Construct {
  /** Name of the Kubernetes Secret ESO maintains. */
  readonly secretName: string;
  readonly resource: Manifest;
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    const name = k8sName(this, 'name', props.name ?? id);
    nonEmptyString(this, 'namespace', props.namespace);
    this.secretName = k8sName(this, 'targetName', props.targetName ?? name);
    const data = props.data ?? [];
    const extract = props.extractPaths ?? [];
    if (data.length === 0 && extract.length === 0) {
      invalid(this, 'data', props.data, 'at least one key (or set extractPaths)');
    }
    data.forEach((d, i) => {
      nonEmptyString(this, `data[${i}].secretKey`, d.secretKey);
      matches(
        this,
        `data[${i}].vault.path`,
        d.vault?.path,
        /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/,
        'a Vault path below the secret/ mount, e.g. "viktor"',
      );
      nonEmptyString(this, `data[${i}].vault.property`, d.vault.property);
    });
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
        metadata: { name, namespace: props.namespace },
        spec,
      },
      fieldManager: { forceConflicts: true },
      dependsOn: props.dependsOn,
    });
    if (props.legacyAddress) movedFrom(this.resource, props.legacyAddress);
    this.namespace = props.namespace;
  }

  /**
   * Reads back the Secret ESO maintains, for a value Terraform itself needs at plan time (the tree's
   * homepage widget keys): `data.kubernetes_secret.<addressName>`, read after the ExternalSecret exists.
   * Its values stay in Terraform state only, never in the synthesized JSON.
   */
  syncedSecret(addressName: string): DataKubernetesSecret {
    return named(this, DataKubernetesSecret, addressName, {
      metadata: { name: this.secretName, namespace: this.namespace },
      dependsOn: [this.resource],
    });
  }
}
