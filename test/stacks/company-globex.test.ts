import { describe, expect, it } from 'vitest';
import def from '../../stacks/company-globex';
import { addresses, resource, synthDefinition } from '../support/synth';

const json = synthDefinition(def);

describe('stack company-globex', () => {
  it('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  it('is a split company: data plane on block 1, apps plane on block 2, one namespace', () => {
    expect(def.after).toEqual(['platform', 'vault', 'external-secrets']);
    expect([...addresses(json)].filter((a) => a.startsWith('kubectl_manifest.')).sort()).toEqual([
      'kubectl_manifest.globex_apps',
      'kubectl_manifest.globex_data',
    ]);
    expect(Object.keys(json.resource!.kubernetes_namespace)).toEqual(['globex_namespace']);
    const ports = (name: string) =>
      resource(json, 'kubernetes_service_v1', name).spec.port.map((p: { port: number }) => p.port);
    expect(ports('globex_data')).toEqual([8112, 8114, 8115]);
    expect(ports('globex_apps')).toEqual([8120, 8121, 8122, 8123]);
    const apps = resource(json, 'kubernetes_manifest', 'globex_apps_cloud-init').manifest.spec.target.template
      .data.userdata as string;
    expect(apps).toContain('RAVE_DATA_HOST=globex-data.company-globex.svc.cluster.local');
  });

  it('synthesizes no secret material', () => {
    expect(JSON.stringify(json)).not.toMatch(/-----BEGIN|AGE-SECRET-KEY|ghp_|glpat-|hvs\./);
  });
});
