import { Construct } from 'constructs';
import { Fn, ref, Token } from 'cdktf';
import { DataKubernetesSecret } from '@cdktf/provider-kubernetes/lib/data-kubernetes-secret';
import { Secret } from '@cdktf/provider-kubernetes/lib/secret';
import {
  addressName,
  checkModuleAddress,
  moduleResourceAddress,
  movedFrom,
  named,
} from '../../lib/terraform/addresses';
import { Ignore, ignoreChanges } from '../../lib/conventions/lifecycle';
import { siteOf, tlsSecretNameValue } from '../../lib/conventions/site';
import { k8sName, nonEmptyString } from '../../lib/validation/validate';
import { checkProps } from '../../lib/validation/props';
import { TLS_SECRET_KEYS } from './prop-keys';
import { namespaceName } from '../../lib/validation/conventions';
import type { INamespace } from './tiered-namespace';

export interface TlsSecretProps {
  /** Namespace of the secret. */
  readonly namespace: INamespace;
  /** Secret name. @default the site's TLS secret name ("tls-secret") */
  readonly secretName?: string;
  /**
   * Directory of fullchain.pem / privkey.pem, relative to the repository root. @default "secrets"
   */
  readonly secretsDir?: string;
  /** Address of the tree module this replaces (e.g. "module.tls_secret"): emits a moved block. @default none */
  readonly legacyAddress?: string;
  /**
   * Copy certificate and key from the secret of the same name in another namespace (e.g. the wildcard
   * in `traefik`), read with a `data.kubernetes_secret.<dataSourceName>`, instead of the files.
   * @default read the files of `secretsDir`
   */
  readonly copyFrom?: { readonly namespace: string; readonly dataSourceName?: string };
}

/**
 * The wildcard TLS secret, as the tree's `setup_tls_secret` module: certificate and key are read at plan
 * time with `file()` from the repository's secrets directory, so no key material enters the synthesized
 * JSON. Terraform runs in `cdktf.out/stacks/<stack>/`, three levels below the repository root.
 */
export class TlsSecret extends Construct {
  readonly secretName: string;
  readonly resource: Secret;

  constructor(scope: Construct, id: string, props: TlsSecretProps) {
    super(scope, id);
    checkProps(this, 'props', props, TLS_SECRET_KEYS);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    this.secretName = k8sName(this, 'secretName', props.secretName ?? siteOf(this).tlsSecretName);
    const dir = props.secretsDir ?? 'secrets';
    const legacy = checkModuleAddress(this, 'legacyAddress', props.legacyAddress);
    const fromRepo = (file: string) => Fn.file(`${Token.asString(ref('path.root'))}/../../../${dir}/${file}`);
    let data: Record<string, string>;
    if (props.copyFrom) {
      const source = named(
        this,
        DataKubernetesSecret,
        props.copyFrom.dataSourceName ?? addressName(this, 'source'),
        {
          metadata: {
            name: tlsSecretNameValue(this, this.secretName),
            namespace: nonEmptyString(this, 'copyFrom.namespace', props.copyFrom.namespace),
          },
        },
      );
      data = { 'tls.crt': source.data.lookup('tls.crt'), 'tls.key': source.data.lookup('tls.key') };
    } else {
      data = { 'tls.crt': fromRepo('fullchain.pem'), 'tls.key': fromRepo('privkey.pem') };
    }

    this.resource = named(this, Secret, addressName(this), {
      metadata: { name: tlsSecretNameValue(this, this.secretName), namespace: props.namespace.name },
      data,
      type: 'kubernetes.io/tls',
      // KYVERNO_LIFECYCLE_V1: sync-tls-secret stamps its labels on this secret.
      lifecycle: ignoreChanges(Ignore.allLabels),
    });
    if (legacy) movedFrom(this.resource, moduleResourceAddress(legacy, 'kubernetes_secret', 'tls_secret'));
  }
}
