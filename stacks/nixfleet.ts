// NixFleet: fleet dashboard for NixOS/macOS hosts (seed 003, v1). Own login (password + TOTP), agents
// poll the API with a bearer token, state in SQLite on an encrypted volume.
import { invalid } from '../lib/validation/errors';
import { defineStack, type StackDefinition } from '../lib/synth/stack';
import { Tier } from '../lib/conventions/tiers';
import { DnsType, IngressAuth } from '../constructs/blocks/ingress-factory';
import { WebApp } from '../constructs/patterns/web-app';

export interface NixFleetConfig {
  /** Placeholder pin (the upstream CI tags images by short commit): bump deliberately. */
  readonly image?: string;
  /** NIXFLEET_REQUIRE_TOTP: refuse to start without TOTP. @default true */
  readonly requireTotp?: boolean;
  /** NIXFLEET_DEV_MODE=true relaxes cookies, headers and the agent token: development namespaces only. */
  readonly devMode?: boolean;
  /** Mark the namespace `environment=development`. @default false */
  readonly developmentNamespace?: boolean;
}

export function nixfleetStack(config: NixFleetConfig = {}): StackDefinition {
  return defineStack({
    name: 'nixfleet',
    description: 'NixFleet fleet dashboard (own login + TOTP; agents use a bearer token)',
    after: ['platform', 'vault', 'external-secrets'],
    build(stack) {
      const requireTotp = config.requireTotp ?? true;
      const vault = (name: string, property: string) => ({ name, vault: { path: 'nixfleet', property } });
      const app = new WebApp(stack, 'nixfleet', {
        tier: Tier.AUX,
        developmentNamespace: config.developmentNamespace,
        image: config.image ?? 'ghcr.io/markus-barta/nixfleet:dbbf206',
        keel: false, // Terraform owns the tag: Keel cannot follow commit tags
        port: 8000,
        healthCheckPath: '/health',
        env: {
          NIXFLEET_DATA_DIR: '/data',
          NIXFLEET_REQUIRE_TOTP: String(requireTotp),
          ...(config.devMode ? { NIXFLEET_DEV_MODE: 'true' } : {}),
        },
        secretEnv: [
          vault('NIXFLEET_PASSWORD_HASH', 'password_hash'),
          vault('NIXFLEET_API_TOKEN', 'api_token'),
          vault('NIXFLEET_TOTP_SECRET', 'totp_secret'),
        ],
        dependsOnSecrets: [
          'NIXFLEET_PASSWORD_HASH',
          'NIXFLEET_API_TOKEN',
          ...(requireTotp ? ['NIXFLEET_TOTP_SECRET'] : []),
        ],
        dataMountPath: '/data',
        fsGroup: 1000, // the image runs as the non-root user "nixfleet"
        cpuRequest: '10m',
        memoryRequest: '96Mi',
        memoryLimit: '256Mi',
        auth: IngressAuth.APP, // own login; /api/hosts/* must stay reachable with the agents' bearer token
        dnsType: DnsType.NON_PROXIED,
        homepageGroup: 'Infrastructure',
      });
      if (config.devMode && !app.isDevelopmentNamespace) {
        invalid(app, 'NIXFLEET_DEV_MODE', 'true', 'only in a namespace marked for development');
      }
    },
  });
}

export default nixfleetStack();
