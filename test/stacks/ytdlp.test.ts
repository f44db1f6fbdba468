// Parity of stacks/ytdlp with the tree's stacks/ytdlp (HEAD 0cd4afb6): every tree address is synthesized or
// moved, the literal values, GPU placement and ignore_changes are the tree's; the Slack channel is the
// operator-supplied root variable the tree reads from its encrypted config.tfvars.
import { describe, expect, it } from 'vitest';
import ytdlp from '../../stacks/ytdlp';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(ytdlp);
const TREE_ADDRESSES = [
  'kubernetes_manifest.external_secret',
  'kubernetes_namespace.ytdlp',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'module.nfs_data_host.kubernetes_persistent_volume.this',
  'module.nfs_data_host.kubernetes_persistent_volume_claim.this',
  'module.nfs_highlights_data_host.kubernetes_persistent_volume.this',
  'module.nfs_highlights_data_host.kubernetes_persistent_volume_claim.this',
  'kubernetes_deployment.ytdlp',
  'kubernetes_service.ytdlp',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.ingress.cloudflare_record.non_proxied_a[0]',
  'module.ingress.cloudflare_record.non_proxied_aaaa[0]',
  'kubernetes_deployment.yt_highlights',
  'kubernetes_service.yt_highlights',
  'module.highlights_ingress.kubernetes_ingress_v1.proxied-ingress',
  'module.highlights_ingress.cloudflare_record.non_proxied_a[0]',
  'module.highlights_ingress.cloudflare_record.non_proxied_aaaa[0]',
  'data.vault_kv_secret_v2.cf_platform', // Terragrunt's generated cloudflare_provider.tf
];
const at = (a: string): Json => atTreeAddress(json, a);

describe('stack ytdlp', () => {
  it('is in the registry, after platform and vault, with pg state under schema "ytdlp"', () => {
    expect(STACKS).toContain(ytdlp);
    expect(ytdlp.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'ytdlp' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('runs the downloader with the replica count left to the provider, one export for every app dir', () => {
    const d = comparable(at('kubernetes_deployment.ytdlp'));
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.strategy).toBeUndefined();
    expect(d.metadata.annotations).toEqual({ 'diun.enable': 'true' });
    const c = d.spec.template.spec.container[0];
    expect(c.image).toBe('tzahi12345/youtubedl-material:nightly');
    expect(c.volume_mount.map((m: Json) => [m.name, m.mount_path])).toEqual([
      ['data', '/app/appdata'],
      ['data', '/app/audio'],
      ['data', '/app/video'],
      ['data', '/app/users'],
      ['data', '/app/subscriptions'],
    ]);
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
    expect(at('kubernetes_service.ytdlp').spec.port).toEqual([
      { name: 'ytdlp', port: 80, target_port: '17442', protocol: 'TCP' },
    ]);
    expect(at('module.ingress.kubernetes_ingress_v1.proxied-ingress').spec.rule[0].host).toBe(
      'yt.viktorbarzin.me',
    );
  });

  it('runs yt-highlights on the GPU node (the tree toleration, one GPU), Slack channel from the operator', () => {
    const d = comparable(at('kubernetes_deployment.yt_highlights'));
    const pod = d.spec.template.spec;
    expect(pod.node_selector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.toleration).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    const c = pod.container[0];
    expect(c.resources).toEqual({ limits: { 'nvidia.com/gpu': '1' } });
    const env = Object.fromEntries(c.env.map((e: Json) => [e.name, e.value ?? e.value_from]));
    expect(env.SLACK_CHANNEL).toBe('${var.slack_channel}');
    expect(env.REDIS_URL).toBe('redis://redis-master.redis.svc.cluster.local:6379/0');
    expect(env.OPENROUTER_API_KEY).toEqual({
      secret_key_ref: { name: 'ytdlp-secrets', key: 'openrouter_api_key' },
    });
    expect(c.liveness_probe).toEqual({
      http_get: { path: '/health', port: '8000' },
      initial_delay_seconds: 180,
      period_seconds: 60,
      timeout_seconds: 60,
      failure_threshold: 10,
    });
    expect(json.variable?.slack_channel).toMatchObject({ type: 'string' });
    expect(d.lifecycle.ignore_changes).toHaveLength(9);
  });
});
