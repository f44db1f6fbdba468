// Parity of stacks/url with the tree's stacks/url (HEAD 0cd4afb6): every address the tree has is
// synthesized or moved, and the literal values and ignore_changes sets are the tree's.
import { describe, expect, it } from 'vitest';
import url from '../../stacks/url';
import { STACKS } from '../../stacks';
import { comparable } from '../support/anubis-tree';
import {
  addedAddresses,
  atTreeAddress,
  type Json,
  missingTreeAddresses,
  synthDefinition,
} from '../support/synth';

const json = synthDefinition(url);
const TREE_ADDRESSES = [
  'data.vault_kv_secret_v2.secrets',
  'kubernetes_namespace.shlink',
  'kubernetes_manifest.external_secret',
  'kubernetes_manifest.db_external_secret',
  'module.tls_secret.kubernetes_secret.tls_secret',
  'kubernetes_secret.mysql_config',
  'kubernetes_deployment.shlink',
  'kubernetes_service.shlink',
  'module.ingress.kubernetes_ingress_v1.proxied-ingress',
  'kubernetes_config_map.shlink-web',
  'kubernetes_deployment.shlink-web',
  'kubernetes_service.shlink-web',
  'module.ingress-web.kubernetes_ingress_v1.proxied-ingress',
];
const at = (treeAddress: string): Json => atTreeAddress(json, treeAddress);

describe('stack url', () => {
  it('is in the registry, after platform and vault, with pg state', () => {
    expect(STACKS).toContain(url);
    expect(url.after).toEqual(['platform', 'vault']);
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'url' } });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('has every tree address, declared or moved, and nothing else', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
  });

  it('the namespace "url" keeps its tree address "shlink"', () => {
    expect(comparable(at('kubernetes_namespace.shlink')).metadata.name).toBe('url');
  });

  it('gives shlink the rotating MySQL credentials and keeps the plan-time copy', () => {
    expect(at('kubernetes_manifest.db_external_secret').manifest.spec.target.template.data).toEqual({
      DB_USER: 'shlink',
      DB_PASSWORD: '{{ .password }}',
    });
    expect(at('kubernetes_secret.mysql_config').data).toEqual({
      DB_USER: 'shlink',
      DB_PASSWORD: '${data.vault_kv_secret_v2.secrets.data["db_password"]}',
    });
    const raw = at('kubernetes_deployment.shlink');
    const d = comparable(raw);
    expect(d.spec.selector.match_labels).toEqual({ run: 'shlink' });
    const [c] = d.spec.template.spec.container;
    expect(c.env_from).toEqual([{ secret_ref: { name: 'url-db-creds' } }]);
    expect(c.env).toContainEqual({ name: 'DB_HOST', value: 'mysql.dbaas.svc.cluster.local' });
    expect(c.liveness_probe).toMatchObject({
      timeout_seconds: 5,
      failure_threshold: 5,
      initial_delay_seconds: 15,
    });
    expect(raw.lifecycle.ignore_changes).toHaveLength(9);
  });

  it('public short links without Authentik; the admin client behind it', () => {
    const links = at('module.ingress.kubernetes_ingress_v1.proxied-ingress');
    expect(links.spec.rule[0].host).toBe('url.viktorbarzin.me');
    expect(links.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).not.toContain(
      'authentik',
    );
    expect(links.metadata.annotations['gethomepage.dev/widget.key']).toBe(
      '${data.vault_kv_secret_v2.secrets.data["api_key"]}',
    );
    const web = at('module.ingress-web.kubernetes_ingress_v1.proxied-ingress');
    expect(web.spec.rule[0].host).toBe('shlink.viktorbarzin.me');
    expect(web.spec.rule[0].http.path[0].backend.service.name).toBe('shlink-web');
    expect(web.metadata.annotations['traefik.ingress.kubernetes.io/router.middlewares']).toContain(
      'authentik',
    );
  });

  it('preconfigures the web client with the server and its key', () => {
    expect(at('kubernetes_config_map.shlink-web').data['servers.json']).toBe(
      '${jsonencode([{"name" = "Main", "url" = "https://url.viktorbarzin.me", "apiKey" = data.vault_kv_secret_v2.secrets.data["api_key"]}])}',
    );
    const pod = comparable(at('kubernetes_deployment.shlink-web')).spec.template.spec;
    expect(pod.container[0].volume_mount).toEqual([
      { name: 'config', mount_path: '/usr/share/nginx/html/servers.json', sub_path: 'servers.json' },
    ]);
    expect(pod.volume).toEqual([{ name: 'config', config_map: { name: 'shlink-web-servers' } }]);
  });
});
