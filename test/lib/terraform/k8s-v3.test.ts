import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TerraformIterator } from 'cdktf';
import { CronJobV1, type CronJobV1Config } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import { Deployment } from '@cdktf/provider-kubernetes/lib/deployment';
import { named } from '../../../lib/terraform/addresses';
import {
  setCronJobTimezone,
  setV3Attribute,
  V3_ATTRIBUTES,
  type V3Attribute,
} from '../../../lib/terraform/k8s-v3';
import { REPO_ROOT } from '../../../lib/core/paths';
import { resource, synth, rawTestStack } from '../../support/synth';

const spec = (extra: Partial<CronJobV1Config['spec']> = {}): CronJobV1Config['spec'] => ({
  schedule: '0 2 * * *',
  jobTemplate: {
    metadata: {},
    spec: { template: { metadata: {}, spec: { container: [{ name: 'c', image: 'busybox:1.37' }] } } },
  },
  ...extra,
});

const deployment = (stack: ReturnType<typeof rawTestStack>) =>
  named(stack, Deployment, 'app', {
    metadata: { name: 'app' },
    spec: {
      selector: { matchLabels: { app: 'app' } },
      template: {
        metadata: { labels: { app: 'app' } },
        spec: {
          initContainer: [{ name: 'proxy', image: 'y:1' }],
          container: [{ name: 'app', image: 'x:1' }],
        },
      },
    },
  });

const SIDECAR: V3Attribute = {
  resource: 'kubernetes_deployment',
  path: 'spec.template.spec.init_container.0.restart_policy',
  since: 'hashicorp/kubernetes 3.0.0',
  why: 'test entry',
};

describe('setV3Attribute', () => {
  it('emits a listed attribute into the synthesized resource', () => {
    const stack = rawTestStack();
    const d = deployment(stack);
    setV3Attribute(d, SIDECAR.path, 'Always', [SIDECAR]);
    const r = resource(synth(stack), 'kubernetes_deployment', 'app');
    expect(r.spec.template.spec.init_container).toEqual([
      { name: 'proxy', image: 'y:1', restart_policy: 'Always' },
    ]);
    expect(r.spec.template.spec.container[0].name).toBe('app');
  });

  it('refuses an attribute that is not listed, naming type, path and where to list it', () => {
    const stack = rawTestStack();
    const d = deployment(stack);
    expect(() => setV3Attribute(d, 'spec.template.spec.made_up', 1, [SIDECAR])).toThrow(
      'setV3Attribute: kubernetes_deployment.spec.template.spec.made_up is not listed in V3_ATTRIBUTES; ' +
        'if the binding really lacks it, add it there and to docs/provider-3x-attributes.md',
    );
  });

  it('refuses a listed path on another resource type', () => {
    const stack = rawTestStack();
    const job = named(stack, CronJobV1, 'nightly', { metadata: { name: 'nightly' }, spec: spec() });
    expect(() => setV3Attribute(job, SIDECAR.path, 'Always', [SIDECAR])).toThrow(/kubernetes_cron_job_v1/);
  });

  it('uses V3_ATTRIBUTES by default (empty today: every call is refused)', () => {
    const stack = rawTestStack();
    expect(V3_ATTRIBUTES).toEqual([]);
    expect(() => setV3Attribute(deployment(stack), SIDECAR.path, 'Always')).toThrow(/not listed/);
  });
});

describe('CronJob timezone: in the 2.38 bindings, no escape hatch needed', () => {
  it('the typed config emits spec.timezone (provider >= 2.18)', () => {
    const stack = rawTestStack();
    named(stack, CronJobV1, 'typed', {
      metadata: { name: 'typed' },
      spec: spec({ timezone: 'Europe/London' }),
    });
    const s = resource(synth(stack), 'kubernetes_cron_job_v1', 'typed').spec;
    expect(s.timezone).toBe('Europe/London');
    expect(s.schedule).toBe('0 2 * * *');
  });

  it('deprecated setCronJobTimezone sets the typed attribute, also on a for_each resource', () => {
    const stack = rawTestStack();
    const each = TerraformIterator.fromMap({ a: { schedule: '0 1 * * *' }, b: { schedule: '0 2 * * *' } });
    const job = named(stack, CronJobV1, 'keyed', {
      forEach: each,
      metadata: { name: each.key },
      spec: spec({ schedule: each.getString('schedule') }),
    });
    setCronJobTimezone(job, 'UTC');
    const r = resource(synth(stack), 'kubernetes_cron_job_v1', 'keyed');
    expect(Object.keys(r.for_each)).toEqual(['a', 'b']);
    expect(r.spec.timezone).toBe('UTC');
    expect(r.spec.schedule).toBe('${each.value.schedule}');
  });
});

describe('docs/provider-3x-attributes.md', () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'provider-3x-attributes.md'), 'utf8');
  const rows = doc.split('\n').filter((l) => /^\|\s*`kubernetes_/.test(l));

  it('has one table row per V3_ATTRIBUTES entry, and no row for anything else', () => {
    for (const a of V3_ATTRIBUTES) {
      expect(
        rows.some((row) => row.includes(`\`${a.resource}\``) && row.includes(`\`${a.path}\``)),
        `${a.resource} ${a.path} has a row`,
      ).toBe(true);
    }
    expect(rows).toHaveLength(V3_ATTRIBUTES.length);
  });
});
