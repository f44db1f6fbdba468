// Parity of stacks/valia-sites with the tree's stacks/valia-sites (HEAD 0cd4afb6): every address the tree
// has is synthesized (for_each keys included), and the literal values and ignore_changes sets are the
// tree's. The sync program is the tree's heredoc, read at plan time. (The tree's import blocks adopted
// bridge's hand-made project, domain and record once; they are in the state, the port has none.)
import { describe, expect, it } from 'vitest';
import valiaSites, { SITES } from '../../stacks/valia-sites';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(valiaSites);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.cf_platform', // generated cloudflare_provider.tf
  'cloudflare_pages_project.site',
  'cloudflare_pages_domain.site',
  'cloudflare_record.site',
  'kubernetes_config_map.valia_sites_dns',
  'kubernetes_namespace.valia_sites',
  'kubernetes_manifest.sync_external_secret',
  'kubernetes_config_map.sync_config',
  'kubernetes_config_map.sync_state',
  'kubernetes_service_account.sync',
  'kubernetes_role.sync_state',
  'kubernetes_role_binding.sync_state',
  'kubernetes_cron_job_v1.sync',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack valia-sites', () => {
  it('is in the registry, after platform, with pg state', () => {
    expect(STACKS).toContain(valiaSites);
    expect(valiaSites.after).toEqual(['platform']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'valia-sites' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('one Pages project, custom domain and proxied CNAME per registered site', () => {
    const keys = Object.keys(SITES);
    expect(Object.keys(at('cloudflare_pages_project.site').for_each)).toEqual(keys);
    expect(Object.keys(at('cloudflare_pages_domain.site').for_each)).toEqual(keys);
    expect(Object.keys(at('cloudflare_record.site').for_each)).toEqual(keys); // both manage their DNS
    expect(at('cloudflare_pages_domain.site').domain).toBe('${each.key}.viktorbarzin.me');
    expect(at('cloudflare_record.site')).toMatchObject({
      zone_id: 'fd2c5dd4efe8fe38958944e74d0ced6d',
      type: 'CNAME',
      proxied: true,
      ttl: 1,
      content: '${cloudflare_pages_project.site[each.key].subdomain}',
    });
  });

  it('feeds the internal DNS sync and the job with the registry', () => {
    const dns = at('kubernetes_config_map.valia_sites_dns');
    expect(dns.metadata).toMatchObject({ name: 'valia-sites-dns', namespace: 'technitium' });
    expect(dns.data).toEqual({
      bridge: '${cloudflare_pages_project.site["bridge"].subdomain}',
      stem95su: '${cloudflare_pages_project.site["stem95su"].subdomain}',
    });
    expect(at('kubernetes_config_map.sync_config').data['sites.json']).toContain(
      '"src_path" = "stem claude/files"',
    );
    const state = at('kubernetes_config_map.sync_state');
    expect(state.data).toEqual({});
    expect(state.lifecycle).toEqual({ ignore_changes: ['data'] });
  });

  it('lets the job patch only its state ConfigMap', () => {
    expect(comparable(at('kubernetes_role.sync_state')).rule).toEqual([
      {
        api_groups: [''],
        resources: ['configmaps'],
        resource_names: ['valia-sites-state'],
        verbs: ['get', 'patch'],
      },
    ]);
    expect(comparable(at('kubernetes_role_binding.sync_state')).subject).toEqual([
      { kind: 'ServiceAccount', name: 'valia-sites-sync', namespace: 'valia-sites' },
    ]);
  });

  it('runs the tree program every 10 minutes, guarded on its payload', () => {
    const raw = at('kubernetes_cron_job_v1.sync');
    const cj = comparable(raw);
    expect(cj.metadata.labels).toEqual({ app: 'valia-sites', component: 'sync' });
    expect(cj.spec).toMatchObject({
      schedule: '*/10 * * * *',
      concurrency_policy: 'Forbid',
      successful_jobs_history_limit: 2,
      failed_jobs_history_limit: 3,
    });
    expect(cj.spec.job_template.metadata).toEqual({});
    const pod = cj.spec.job_template.spec.template.spec;
    expect(pod.service_account_name).toBe('valia-sites-sync');
    const [c] = pod.container;
    expect(c.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(c.command[2]).toContain('tree-payloads/valia-sites/_heredoc/main.tf/command/0');
    expect(pod.volume[0]).toEqual({
      name: 'rclone-config',
      secret: { secret_name: 'valia-sites-sync', items: [{ key: 'rclone.conf', path: 'rclone.conf' }] },
    });
    expect(raw.lifecycle.ignore_changes).toEqual([
      'spec[0].job_template[0].spec[0].template[0].spec[0].dns_config',
    ]);
    expect(raw.lifecycle.precondition).toHaveLength(1);
    expect(raw.depends_on).toEqual(['kubernetes_manifest.sync_external_secret']);
  });
});
