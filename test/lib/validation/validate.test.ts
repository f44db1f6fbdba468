import { describe, expect, it } from 'vitest';
import { Token } from 'cdktf';
import {
  cron,
  dnsLabel,
  httpUrl,
  isCron,
  k8sName,
  parseQuantity,
  pinnedImage,
  quantity,
  requestWithinLimit,
  timeZone,
} from '../../../lib/validation/validate';
import { ConfigError } from '../../../lib/validation/errors';

const where = 'stack/thing';

describe('validators', () => {
  it('cron: 5 fields with ranges, steps, lists; macros; rejects out-of-range and wrong field counts', () => {
    for (const ok of ['0 2 * * *', '*/5 * * * *', '*/3 2-5 * * 1,3,5', '0 0 1 1 0', '@daily'])
      expect(isCron(ok)).toBe(true);
    for (const bad of [
      '0 2 * *',
      '60 * * * *',
      '* 24 * * *',
      '* * 0 * *',
      '* * * 13 *',
      '*/0 * * * *',
      '5-1 * * * *',
      'x * * * *',
      '@every 1h',
    ])
      expect(isCron(bad)).toBe(false);
    expect(() => cron(where, 'scheduleCron', '0 25 * * *')).toThrow(
      'stack/thing: invalid scheduleCron = "0 25 * * *"; allowed: a 5-field cron expression such as "0 4 * * *" or "*/5 * * * *"',
    );
  });

  it('quantities parse with binary and decimal suffixes', () => {
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(parseQuantity('200m')).toBeCloseTo(0.2);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('2GB')).toBeUndefined();
    expect(() => quantity(where, 'memory', '0')).toThrow(ConfigError);
  });

  it('request <= limit', () => {
    expect(() => requestWithinLimit(where, 'memory', '1.5Gi', '2Gi')).not.toThrow();
    expect(() => requestWithinLimit(where, 'memory', '3Gi', '2Gi')).toThrow(
      'stack/thing: invalid memory = {"request":"3Gi","limit":"2Gi"}; allowed: a request no larger than the limit (3Gi > 2Gi)',
    );
  });

  it('images must be pinned', () => {
    expect(pinnedImage(where, 'image', 'nginx:1.28-alpine')).toBe('nginx:1.28-alpine');
    expect(pinnedImage(where, 'image', 'registry:5000/x/y:1.0')).toBe('registry:5000/x/y:1.0');
    expect(pinnedImage(where, 'image', `busybox@sha256:${'a'.repeat(64)}`)).toMatch(/sha256/);
    for (const bad of ['nginx', 'nginx:latest', 'registry:5000/x/y', ''])
      expect(() => pinnedImage(where, 'image', bad)).toThrow(ConfigError);
  });

  it('names, labels, URLs, time zones; tokens are not checked', () => {
    expect(() => dnsLabel(where, 'name', 'Bad_Name')).toThrow(/DNS-1123 label/);
    expect(() => dnsLabel(where, 'name', 'a'.repeat(41), 40)).toThrow(/at most 40 characters/);
    expect(k8sName(where, 'name', 'a.b-c')).toBe('a.b-c');
    expect(() => httpUrl(where, 'url', 'ftp://x')).toThrow(/http:\/\/ or https:\/\//);
    expect(timeZone(where, 'tz', 'Europe/London')).toBe('Europe/London');
    expect(() => timeZone(where, 'tz', 'Mars/Olympus')).toThrow(/IANA time zone/);
    // Aliases outside the canonical list, and the same names again (remembered after the first check).
    for (const tz of ['UTC', 'Etc/UTC', 'UTC', 'Europe/London']) expect(timeZone(where, 'tz', tz)).toBe(tz);
    expect(() => timeZone(where, 'tz', 'Mars/Olympus')).toThrow(/IANA time zone/);
    expect(() => timeZone(where, 'tz', 'Europe/London ')).toThrow(/IANA time zone/);
    expect(dnsLabel(where, 'name', Token.asString({ resolve: () => 'x' }))).toMatch(/TfToken/);
  });
});
