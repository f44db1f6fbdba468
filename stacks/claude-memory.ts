// Claude Memory: the shared persistent-memory MCP server for Claude sessions (bearer-token API, no
// Authentik), on the shared PostgreSQL with a local embedding model for dense recall. A one-shot Job
// creates its role and database before the server starts. Tree: stacks/claude-memory.
import { disruptionBudget } from '../constructs/blocks/disruption-budget';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { Deployment, Job, Probe } from '../constructs/blocks/workload';
import { homepage, prometheusScrape, reloader } from '../lib/conventions/metadata';
import { siteOf } from '../lib/conventions/site';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { addressOf } from '../lib/terraform/addresses';
import { vaultKvSecret } from '../lib/terraform/providers';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

export default defineStack({
  name: 'claude-memory',
  description: 'Claude Memory MCP server (bearer tokens) on shared PostgreSQL, local embeddings for recall',
  after: ['platform', 'vault'],
  build(stack) {
    const site = siteOf(stack);
    const vault = vaultKvSecret(stack, 'secrets', 'claude-memory');
    const ns = new TieredNamespace(stack, 'claude-memory', { tier: Tier.AUX, istioInjectionDisabled: false });
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'claude-memory-secrets',
      namespace: ns,
      extractPaths: ['claude-memory'],
      refreshInterval: '15m',
    });
    // The app's URL and password follow the database engine's rotation through ESO.
    const db = new ExternalSecret(stack, 'db_external_secret', {
      name: 'claude-memory-db-creds',
      namespace: ns,
      storeName: 'vault-database',
      refreshInterval: '15m',
      data: [
        { secretKey: 'password', vault: { path: 'static-creds/pg-claude-memory', property: 'password' } },
      ],
      template: {
        data: {
          DATABASE_URL: `postgresql://claude_memory:{{ .password }}@${site.postgresqlHost}:5432/claude_memory`,
          DB_PASSWORD: '{{ .password }}',
        },
      },
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });

    // The tree's role/database bootstrap script (a heredoc of its main.tf). It reads the root and app
    // passwords of the Vault secret and the tree's optional password override (empty: use Vault's).
    const bootstrap = treeHeredoc(stack, 'command');
    const initVars =
      `{ data = { vault_kv_secret_v2 = { secrets = { data = ${addressOf(vault)}.data } } }, ` +
      `var = { postgresql_host = "${site.postgresqlHost}", claude_memory_db_password = "" } }`;
    const dbInit = new Job(stack, 'db_init', {
      namespace: ns,
      name: 'claude-memory-db-init',
      backoffLimit: 3,
      waitForCompletion: true,
      createTimeout: Duration.minutes(2),
      containers: [
        { name: 'db-init', image: 'postgres:16-alpine', command: ['sh', '-c', bootstrap.template(initVars)] },
      ],
    });
    bootstrap.guard(dbInit);

    const health = (timing: Parameters<typeof Probe.httpGet>[2]) => Probe.httpGet('/health', 8000, timing);
    const app = new Deployment(stack, 'claude-memory', {
      namespace: ns,
      name: 'claude-memory',
      annotations: reloader('auto'),
      podAnnotations: {
        'dependency.kyverno.io/wait-for': 'postgresql.dbaas:5432',
        'descheduler.alpha.kubernetes.io/evict': 'false', // the descheduler kept bouncing it
      },
      antiAffinity: { topologyKey: 'kubernetes.io/hostname' },
      containers: [
        {
          name: 'claude-memory',
          image: 'ghcr.io/viktorbarzin/claude-memory-mcp:latest',
          ports: [8000],
          env: {
            DATABASE_URL: { secretName: db.secretName, key: 'DATABASE_URL' },
            API_KEYS: { secretName: secrets.secretName, key: 'api_keys' },
            MEMORY_EMBEDDINGS_ENABLED: '1',
            // a batch-of-one embedding pass gains nothing from all of the node's cores
            OMP_NUM_THREADS: '4',
            MKL_NUM_THREADS: '4',
          },
          // the embedding model downloads at start (no cache volume): a five-minute startup budget
          startupProbe: health({ failureThreshold: 150, period: Duration.seconds(2) }),
          livenessProbe: health({ initialDelay: Duration.seconds(5), period: Duration.seconds(30) }),
          readinessProbe: health({ initialDelay: Duration.seconds(3), period: Duration.seconds(10) }),
          // every recall runs the embedder on the CPU; the limit covers the model held in memory
          resources: {
            cpuRequest: '1000m',
            memoryRequest: Size.mebibytes(512),
            memoryLimit: Size.mebibytes(2560),
          },
        },
      ],
      dependsOn: [dbInit],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs ghcr.io/viktorbarzin/claude-memory-mcp:latest; CI sets the tag',
    );
    // one replica: maxUnavailable (not minAvailable) so node drains still proceed
    disruptionBudget(app, { maxUnavailable: '1' });
    new IngressFactory(stack, 'ingress', {
      name: 'claude-memory',
      namespace: ns,
      service: app.exposeViaService({
        ports: [{ name: 'http', port: 80, targetPort: 8000 }],
        annotations: prometheusScrape(8000),
      }),
      auth: IngressAuth.NONE, // MCP clients authenticate with bearer tokens
      dnsType: DnsType.PROXIED,
      extraAnnotations: homepage(
        'Claude Memory',
        'Shared persistent memory for Claude sessions',
        'claude-ai.png',
        'Core Platform',
      ),
      legacyAddress: 'module.ingress',
    });
  },
});
