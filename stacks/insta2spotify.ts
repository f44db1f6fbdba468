// insta2spotify: turns Instagram Reels into Spotify playlist entries (SvelteKit frontend + API backend in
// one pod, SQLite on NFS). The UI is behind Authentik; the API paths the phone shortcut and Spotify's
// OAuth callback call are open. Tree: stacks/insta2spotify.
import { ExternalSecret } from '../constructs/blocks/external-secret';
import { DnsType, IngressAuth, IngressFactory } from '../constructs/blocks/ingress-factory';
import { NfsVolume } from '../constructs/blocks/nfs-volume';
import { TieredNamespace } from '../constructs/blocks/tiered-namespace';
import { Deployment, Keel, Volume } from '../constructs/blocks/workload';
import { homepage, reloader } from '../lib/conventions/metadata';
import { Tier } from '../lib/conventions/tiers';
import { Size } from '../lib/core/units';
import { defineStack } from '../lib/synth/stack';
import { suppressRule } from '../lib/synth/rules';

const HOST = 'https://insta2spotify.viktorbarzin.me';

export default defineStack({
  name: 'insta2spotify',
  description: 'Instagram Reels to Spotify: frontend + backend, SQLite on NFS, open API paths',
  after: ['platform', 'vault'],
  build(stack) {
    const ns = new TieredNamespace(stack, 'insta2spotify', { tier: Tier.AUX });
    // Every property of Vault secret/insta2spotify (Spotify client + refresh token, API key).
    const secrets = new ExternalSecret(stack, 'external_secret', {
      name: 'insta2spotify-secrets',
      namespace: ns.byLiteralName,
      extractPaths: ['insta2spotify'],
      refreshInterval: '15m',
      dependsOn: [ns.resource],
    });
    const nfs = new NfsVolume(stack, 'nfs_insta2spotify', {
      name: 'insta2spotify-data-nfs',
      namespace: ns,
      nfsPath: '/srv/nfs/insta2spotify',
      storage: '5Gi',
      legacyAddress: 'module.nfs_insta2spotify',
    });
    const data = Volume.fromPvc('data', nfs.claimName);
    const secret = (key: string) => ({ secretName: secrets.secretName, key });
    const app = new Deployment(stack, 'insta2spotify', {
      namespace: ns,
      name: 'insta2spotify',
      keel: Keel.enrolled(),
      strategy: 'Recreate', // one SQLite writer
      annotations: reloader('auto'),
      containers: [
        {
          name: 'frontend',
          image: 'viktorbarzin/insta2spotify-frontend:latest',
          ports: [3000],
          env: { BACKEND_URL: 'http://127.0.0.1:8000', ORIGIN: HOST },
          resources: {
            cpuRequest: '10m',
            memoryRequest: Size.mebibytes(128),
            memoryLimit: Size.mebibytes(128),
          },
        },
        {
          name: 'backend',
          image: 'viktorbarzin/insta2spotify-backend:latest',
          ports: [8000],
          env: {
            DATABASE_PATH: '/data/insta2spotify.db',
            SPOTIFY_CACHE_PATH: '/data/.spotify_cache',
            SPOTIFY_REDIRECT_URI: `${HOST}/api/auth/callback`,
            SPOTIFY_PLAYLIST_ID: '7lcLakPy8pwwegFoOQ7MoG',
            SPOTIFY_CLIENT_ID: secret('spotify_client_id'),
            SPOTIFY_CLIENT_SECRET: secret('spotify_client_secret'),
            API_KEY: secret('api_key'),
            SPOTIFY_REFRESH_TOKEN: secret('spotify_refresh_token'),
          },
          volumeMounts: [{ volume: data, mountPath: '/data' }],
          resources: {
            cpuRequest: '50m',
            memoryRequest: Size.mebibytes(160),
            memoryLimit: Size.mebibytes(256),
          },
        },
      ],
      volumes: [data],
    });
    suppressRule(
      app,
      'images-pinned',
      'tree parity: the tree runs viktorbarzin/insta2spotify-frontend:latest; Keel tracks the tag',
    );
    const svc = app.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 3000 }] });
    new IngressFactory(stack, 'ingress', {
      name: 'insta2spotify',
      namespace: ns,
      service: svc,
      dnsType: DnsType.PROXIED,
      auth: IngressAuth.REQUIRED,
      maxBodySize: '50m',
      extraAnnotations: homepage(
        'insta2spotify',
        'Instagram Reels to Spotify',
        'si-spotify',
        'Media & Entertainment',
      ),
      legacyAddress: 'module.ingress',
    });
    // auth NONE: the share shortcut (API key), Spotify's OAuth callback and the health check cannot log in.
    new IngressFactory(stack, 'ingress_api', {
      name: 'insta2spotify-api',
      host: 'insta2spotify',
      namespace: ns,
      service: svc,
      auth: IngressAuth.NONE,
      ingressPath: ['/api/identify', '/api/auth', '/api/health', '/api/history'],
      maxBodySize: '50m',
      homepageEnabled: false,
      legacyAddress: 'module.ingress_api',
    });
  },
});
