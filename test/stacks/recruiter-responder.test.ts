// Parity of stacks/recruiter-responder with the tree's stacks/recruiter-responder (HEAD 0cd4afb6): every
// address the tree has is synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import recruiterResponder, { APP_SECRET_KEYS } from '../../stacks/recruiter-responder';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(recruiterResponder);
const TREE_ADDRESSES = [
  'kubernetes_namespace.recruiter_responder',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.db_external_secret',
  'kubernetes_deployment.recruiter_responder',
  'kubernetes_service.recruiter_responder',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  // no module.tls_secret (Kyverno clones the wildcard secret); proxied, not the apex: no cloudflare_record
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack recruiter-responder', () => {
  it('is in the registry, after platform, vault and external-secrets, with pg state', () => {
    expect(STACKS).toContain(recruiterResponder);
    expect(recruiterResponder.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'recruiter-responder' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('maps each app key to its lower-cased Vault property, in the tree order', () => {
    const data = at('kubernetes_manifest.external_secret').manifest.spec.data;
    expect(data).toHaveLength(14);
    expect(data[0]).toEqual({
      secretKey: 'WEBHOOK_BEARER_TOKEN',
      remoteRef: { key: 'recruiter-responder', property: 'webhook_bearer_token' },
    });
    expect(data[13]).toEqual({
      secretKey: 'GPT_MINI_MODEL',
      remoteRef: { key: 'recruiter-responder', property: 'gpt_mini_model' },
    });
    expect(data.map((d: Json) => d.secretKey)).toEqual(APP_SECRET_KEYS);
    expect(at('kubernetes_manifest.db_external_secret').manifest.spec.target.template.data).toEqual({
      DB_CONNECTION_STRING:
        'postgresql+asyncpg://recruiter_responder:{{ .password }}@pg-cluster-rw.dbaas.svc.cluster.local:5432/recruiter_responder',
      DB_PASSWORD: '{{ .password }}',
    });
  });

  it('stays switched off at zero replicas with the pinned image and the tree lifecycle', () => {
    const raw = at('kubernetes_deployment.recruiter_responder');
    const d = comparable(raw);
    expect(d.spec.replicas).toBe('0');
    const pod = d.spec.template.spec;
    expect(pod.init_container[0].command).toEqual(['alembic', 'upgrade', 'head']);
    expect(pod.container[0].image).toBe('ghcr.io/viktorbarzin/recruiter-responder:2162e09d');
    expect(pod.container[0].env).toContainEqual({
      name: 'CALLBACK_BASE_URL',
      value: 'https://recruiter-responder.viktorbarzin.me',
    });
    expect(pod.container[0].env).toHaveLength(12);
    expect(raw.lifecycle.ignore_changes).toEqual(
      expect.arrayContaining([
        'spec[0].template[0].spec[0].container[0].image',
        'spec[0].template[0].spec[0].init_container[0].image',
      ]),
    );
    expect(raw.lifecycle.ignore_changes).toHaveLength(10);
  });

  it('publishes only /cb, without Authentik', () => {
    const ingress = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(ingress.spec.rule[0].http.path.map((p: Json) => p.path)).toEqual(['/cb']);
    expect(ingress.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain(
      'authentik',
    );
  });
});
