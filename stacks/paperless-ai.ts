// Paperless-AI: AI tagging and semantic search over the paperless-ngx documents (Node UI + an in-pod
// Python RAG service, LLM through llama-swap), behind Authentik. Its behavioural config lives in the .env
// the setup flow wrote onto the encrypted volume; only infrastructure env and the Vault secrets are set
// here (a container env would shadow the .env). A daily CronJob refreshes the RAG index incrementally;
// its curl call is the tree owner's heredoc, read at plan time. Tree: stacks/paperless-ai.
import { EncryptedPvc } from '../constructs/blocks/encrypted-pvc';
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { TlsSecret } from '../constructs/blocks/tls-secret';
import { CronJob, Deployment, Keel, Probe, Volume } from '../constructs/blocks/workload';
import { Ignore } from '../lib/conventions/lifecycle';
import { reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Duration, Size } from '../lib/core/units';
import { treeHeredoc } from '../lib/terraform/tree-payload';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const SECRETS = 'paperless-ai-secrets';

export default defineStack({
  name: 'paperless-ai',
  description: 'Paperless-AI tagging and RAG search over paperless-ngx, behind Authentik',
  after: ['platform', 'vault', 'paperless-ngx', 'llama-cpp'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'paperless_ai', {
      name: 'paperless-ai',
      tier: Tier.EDGE,
      keelEnrolled: false,
      istioInjectionDisabled: false,
    });
    // The tree names the namespace literally in everything but the TLS secret and the ingress.
    const inNs = ns.byLiteralName;
    new ExternalSecret(stack, 'external_secret', {
      name: SECRETS,
      namespace: inNs,
      refreshInterval: '15m',
      extractPaths: ['paperless-ai'],
      dependsOn: [ns.resource],
    });
    new TlsSecret(stack, 'tls_secret', { namespace: ns, legacyAddress: 'module.tls_secret' });
    // Document-derived vectors and the Paperless token: encrypted storage.
    const pvc = new EncryptedPvc(stack, 'data_encrypted', {
      name: 'paperless-ai-data-encrypted',
      namespace: inNs,
      storage: '2Gi',
      storageLimit: '10Gi',
      resizeIncrease: '100%',
    });
    const data = Volume.fromPvc('data', pvc.claimName);
    const secretEnv = (key: string) => ({ secretName: SECRETS, key });
    const nodePort = (timing: Parameters<typeof Probe.tcpSocket>[1]) => Probe.tcpSocket(3000, timing);
    const app = new Deployment(stack, 'paperless_ai', {
      namespace: inNs,
      name: 'paperless-ai',
      keel: Keel.notEnrolled(),
      ignoreChanges: [Ignore.keelAnnotations, Ignore.keelImage(0)],
      annotations: reloader('auto'),
      waitForRollout: false, // the multi-GB image can outlast the rollout wait
      strategy: 'Recreate', // RWO volume
      fsGroup: 1000,
      containers: [
        {
          name: 'paperless-ai',
          image: 'docker.io/clusterzx/paperless-ai:3.0.9',
          ports: [
            { containerPort: 3000, name: 'http' },
            { containerPort: 8000, name: 'rag' },
          ],
          env: {
            PUID: '1000',
            PGID: '1000',
            PAPERLESS_AI_PORT: '3000',
            RAG_SERVICE_URL: 'http://localhost:8000',
            RAG_SERVICE_ENABLED: 'true',
            // the embedding models stay on the volume across restarts
            HF_HOME: '/app/data/hf-cache',
            SENTENCE_TRANSFORMERS_HOME: '/app/data/st-cache',
            PAPERLESS_API_TOKEN: secretEnv('paperless_api_token'),
            CUSTOM_API_KEY: secretEnv('custom_api_key'),
            API_KEY: secretEnv('api_key'),
          },
          volumeMounts: [{ volume: data, mountPath: '/app/data' }],
          // both halves hold the whole corpus in memory at startup; 8Gi is the edge-tier ceiling
          resources: { cpuRequest: '200m', memoryRequest: Size.gibibytes(2), memoryLimit: Size.gibibytes(8) },
          // "/" redirects to setup or login: TCP on the UI port is the reliable signal
          startupProbe: nodePort({ failureThreshold: 60, period: Duration.seconds(5) }),
          readinessProbe: nodePort({ initialDelay: Duration.seconds(10), period: Duration.seconds(15) }),
          livenessProbe: nodePort({ initialDelay: Duration.seconds(60), period: Duration.seconds(30) }),
        },
      ],
      volumes: [data],
    });
    new IngressFactory(stack, 'ingress', {
      name: 'paperless-ai',
      host: 'paperless-ai',
      namespace: ns,
      service: app.exposeViaService({
        ports: [{ name: 'http', port: 80, targetPort: 3000, protocol: 'TCP' }],
      }),
      auth: IngressAuth.REQUIRED, // the app's own login is the second gate
      dnsType: DnsType.PROXIED,
      extraAnnotations: {
        'gethomepage.dev/enabled': 'true',
        'gethomepage.dev/description': 'AI document search & tagging',
        'gethomepage.dev/group': 'Productivity',
        'gethomepage.dev/icon': 'paperless-ngx.png',
        'gethomepage.dev/name': 'Paperless-AI',
        'gethomepage.dev/pod-selector': '',
      },
      legacyAddress: 'module.ingress',
    });
    // Daily incremental index of the documents not yet in the vector store, before the 05:00 backup.
    const refresh = treeHeredoc(stack, 'command');
    const job = new CronJob(stack, 'rag_index_refresh', {
      namespace: inNs,
      name: 'rag-index-refresh',
      labels: { app: 'paperless-ai' },
      podLabels: {}, // the tree's pods carry no labels
      schedule: '30 4 * * *',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 2,
      backoffLimit: 1,
      restartPolicy: 'Never',
      containers: [
        {
          name: 'refresh',
          image: 'curlimages/curl:latest',
          command: ['/bin/sh', '-c', refresh.content],
          env: { API_KEY: secretEnv('api_key') },
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(32),
            memoryLimit: Size.mebibytes(64),
          },
        },
      ],
    });
    refresh.guard(job);
    suppressRule(job, 'images-pinned', 'tree parity: the tree runs curlimages/curl:latest');
  },
});
