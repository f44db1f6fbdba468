// Workload tiers (root terragrunt `tiers.tf`). The namespace `tier` label drives Kyverno: priority class
// (`tier-<tier>`), LimitRange and ResourceQuota generation.
import type { IConstruct } from 'constructs';
import { invalid } from '../validation/errors';

export enum Tier {
  CORE = '0-core',
  CLUSTER = '1-cluster',
  GPU = '2-gpu',
  EDGE = '3-edge',
  AUX = '4-aux',
}

export const ALL_TIERS: readonly Tier[] = [Tier.CORE, Tier.CLUSTER, Tier.GPU, Tier.EDGE, Tier.AUX];

/** Label key carrying the tier on namespaces and workloads. */
export const TIER_LABEL = 'tier';

/** Priority class Kyverno `inject-priority-class-from-tier` assigns to pods of a tier. */
export function priorityClassFor(tier: Tier): string {
  return `tier-${tier}`;
}

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (ALL_TIERS as readonly string[]).includes(value);
}

/** Checks a tier prop (one message for every construct that takes a tier) and returns it. */
export function checkTier(scope: IConstruct | string, prop: string, value: unknown): Tier {
  if (!isTier(value)) invalid(scope, prop, value, `one of ${Object.values(Tier).join(', ')}`);
  return value;
}
