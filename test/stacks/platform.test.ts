// platform against the tree's stacks/platform (HEAD 0cd4afb6): a tier-0 shell with no resources whose
// outputs pass the shared service endpoints through (variables from config.tfvars, three fixed ports).
import { describe, expect, it } from 'vitest';
import platform from '../../stacks/platform';
import { STACKS } from '../../stacks';
import { DEFAULT_SITE } from '../../lib/conventions/site';
import { addedAddresses, addresses, missingTreeAddresses, synthDefinition } from '../support/synth';

const json = synthDefinition(platform);
const TREE_ADDRESSES: string[] = []; // outputs and variables only

describe('stack platform', () => {
  it('is in the registry, after infra, with tier-0 local state', () => {
    expect(STACKS).toContain(platform);
    expect(platform.after).toEqual(['infra']);
    expect(json.terraform.backend).toEqual({
      local: { path: '../../../state/stacks/platform/terraform.tfstate' },
    });
  });

  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('declares no resource, as the tree', () => {
    expect(missingTreeAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addedAddresses(json, TREE_ADDRESSES)).toEqual([]);
    expect(addresses(json).size).toBe(0);
  });

  it("publishes the tree's outputs with the site's values", () => {
    const values = Object.fromEntries(
      Object.entries(json.output as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]),
    );
    expect(values).toEqual({
      tls_secret_name: 'tls-secret',
      redis_host: 'redis-master.redis.svc.cluster.local',
      postgresql_host: 'pg-cluster-rw.dbaas.svc.cluster.local',
      postgresql_port: 5432,
      mysql_host: 'mysql.dbaas.svc.cluster.local',
      mysql_port: 3306,
      smtp_host: 'mail.viktorbarzin.me',
      smtp_port: 587,
    });
  });

  it('follows a forked site', () => {
    const forked = synthDefinition(platform, { redisHost: 'redis.example', mailHost: 'smtp.example' });
    expect(forked.output!.redis_host.value).toBe('redis.example');
    expect(forked.output!.smtp_host.value).toBe('smtp.example');
    expect(forked.output!.postgresql_host.value).toBe(DEFAULT_SITE.postgresqlHost);
  });
});
