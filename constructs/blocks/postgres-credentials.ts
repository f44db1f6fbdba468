import { Construct } from 'constructs';
import { siteOf } from '../../lib/conventions/site';
import { dnsLabel, matches, port as portNumber } from '../../lib/validation/validate';
import type { SecretKeyEnv } from './app-deployment';
import { ExternalSecret } from './external-secret';
import { checkProps } from '../../lib/validation/props';
import { POSTGRES_CREDENTIALS_KEYS } from './prop-keys';
import { hostOrIp, namespaceName } from '../../lib/validation/conventions';
import type { INamespace } from './tiered-namespace';

export interface PostgresCredentialsProps {
  /** Name of the ExternalSecret and of the Secret it maintains. */
  readonly name: string;
  /** Namespace (the TieredNamespace for creation order, or TieredNamespace.fromName). */
  readonly namespace: INamespace;
  /** Vault database-engine static role, e.g. "pg-linkwarden" (read at `static-creds/<role>`). */
  readonly staticRole: string;
  /** Database name. */
  readonly database: string;
  /** Database user the static role rotates. @default `database` */
  readonly username?: string;
  /** Server host. @default the site's shared PostgreSQL host */
  readonly host?: string;
  /** @default 5432 */
  readonly port?: number;
  /** URL scheme, e.g. "postgresql+asyncpg" for SQLAlchemy async. @default "postgresql" */
  readonly urlScheme?: string;
}

/**
 * Credentials for the shared PostgreSQL from the Vault database engine, the tree's pattern: an
 * ExternalSecret on the `vault-database` ClusterSecretStore reading `static-creds/<role>` (rotated by
 * Vault), templated into keys `password` and `DATABASE_URL`. Nothing secret is synthesized: the template
 * holds `{{ .password }}`. Address: `kubernetes_manifest.<id>_secret`.
 */
export class PostgresCredentials extends Construct {
  /** Name of the Secret with keys `password` and `DATABASE_URL`. */
  readonly secretName: string;
  readonly externalSecret: ExternalSecret;
  /** The `DATABASE_URL` value with `{{ .password }}` in place of the password. */
  readonly urlTemplate: string;

  constructor(scope: Construct, id: string, props: PostgresCredentialsProps) {
    super(scope, id);
    checkProps(this, 'props', props, POSTGRES_CREDENTIALS_KEYS);
    namespaceName(this, 'namespace.name', props.namespace?.name);
    const role = matches(
      this,
      'staticRole',
      props.staticRole,
      /^[a-z0-9][a-z0-9_-]*$/,
      'a role name such as "pg-linkwarden"',
    );
    const database = matches(
      this,
      'database',
      props.database,
      /^[a-z_][a-z0-9_]*$/,
      'a lowercase SQL identifier',
    );
    const username = matches(
      this,
      'username',
      props.username ?? database,
      /^[a-z_][a-z0-9_]*$/,
      'a lowercase SQL identifier',
    );
    const host = hostOrIp(this, 'host', props.host ?? siteOf(this).postgresqlHost);
    const port = portNumber(this, 'port', props.port ?? 5432);
    const scheme = matches(
      this,
      'urlScheme',
      props.urlScheme ?? 'postgresql',
      /^postgres(ql)?(\+[a-z0-9]+)?$/,
      'a PostgreSQL URL scheme such as "postgresql" or "postgresql+asyncpg"',
    );
    dnsLabel(this, 'name', props.name);
    this.urlTemplate = `${scheme}://${username}:{{ .password }}@${host}:${port}/${database}`;
    this.externalSecret = new ExternalSecret(this, 'secret', {
      name: props.name,
      namespace: props.namespace,
      storeName: 'vault-database',
      data: [{ secretKey: 'password', vault: { path: `static-creds/${role}`, property: 'password' } }],
      template: { data: { password: '{{ .password }}', DATABASE_URL: this.urlTemplate } },
    });
    this.secretName = this.externalSecret.secretName;
  }

  /** An environment entry for the connection URL. */
  urlEnv(name = 'DATABASE_URL'): SecretKeyEnv {
    return { name, secretName: this.secretName, key: 'DATABASE_URL' };
  }
}
