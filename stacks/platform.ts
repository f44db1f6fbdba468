// platform: a tier-0 shell. Every module it once held moved to its own stack; it stays as the ordering
// target of the app stacks (`after: ['platform']`) and keeps publishing the shared service endpoints as
// outputs, for any reader of its state (the tree's dependents all skip outputs). Local state (tier-0).
import { TerraformOutput } from 'cdktf';
import { named } from '../lib/terraform/addresses';
import { siteOf } from '../lib/conventions/site';
import { defineStack } from '../lib/synth/stack';

/** SMTP submission port of the mail server. */
export const SMTP_PORT = 587;
export const POSTGRESQL_PORT = 5432;
export const MYSQL_PORT = 3306;

export default defineStack({
  name: 'platform',
  description: 'Tier-0 shell: ordering target of the app stacks, publishes the shared service endpoints',
  after: ['infra'],
  build(stack) {
    const site = siteOf(stack);
    // The endpoints, under the tree's output names (TerraformOutput: outputs have no block, they are the stack's interface).
    const endpoints: Record<string, string | number> = {
      tls_secret_name: site.tlsSecretName,
      redis_host: site.redisHost,
      postgresql_host: site.postgresqlHost,
      postgresql_port: POSTGRESQL_PORT,
      mysql_host: site.mysqlHost,
      mysql_port: MYSQL_PORT,
      smtp_host: site.mailHost,
      smtp_port: SMTP_PORT,
    };
    for (const [name, value] of Object.entries(endpoints)) named(stack, TerraformOutput, name, { value });
  },
});
