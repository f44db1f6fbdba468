// The company registry: every company environment (CompanyVm) of the app, one entry each. Each company
// has its own stack (stacks/company-<name>.ts) and `npm run synth -- company-acme-corp` may build only
// that one, so every company stack checks this whole list when it is built: unique names, unique
// block indexes, and no port collision on the shared LB IP (with each other or the tree's Services).
//
// Add a company: append an entry with the next free blockIndex (never renumber: the index is the port
// block, i.e. the URLs people use), then copy stacks/company-acme-corp.ts. Remove: see
// docs/constructs/company-vm.md.
import type { IConstruct } from 'constructs';
import type { CompanyVmProps } from '../constructs/patterns/company-vm';
import { checkCompanyRegistry } from '../lib/domain/company-profiles';
import { invalid } from '../lib/validation/errors';
import { siteOf } from '../lib/conventions/site';

/** Where the profile qcow2 images are published (Forgejo generic package; `rave-<profile>.qcow2`). */
export const RAVE_ARTIFACTS_URL = 'https://forgejo.viktorbarzin.me/api/packages/viktor/generic/rave/latest';

export type CompanyEntry = CompanyVmProps & { readonly name: string };

export const COMPANIES: readonly CompanyEntry[] = [
  { name: 'acme-corp', profile: 'development', blockIndex: 0, artifactsUrl: RAVE_ARTIFACTS_URL },
  {
    name: 'globex',
    planes: { data: { blockIndex: 1 }, apps: { blockIndex: 2 } },
    artifactsUrl: RAVE_ARTIFACTS_URL,
  },
];

/**
 * The props of one company, after checking the whole registry (`companies` is for tests). Throws a
 * ConfigError naming the registry entry on any problem, whichever company stack is being built.
 */
export function companyProps(
  scope: IConstruct,
  name: string,
  companies: readonly CompanyEntry[] = COMPANIES,
): CompanyVmProps {
  const site = siteOf(scope);
  checkCompanyRegistry(companies, site.sharedLbPorts, site.sharedLbIp);
  const entry = companies.find((c) => c.name === name);
  if (!entry) {
    invalid(
      scope,
      'company',
      name,
      `a company of stacks/companies.ts: ${companies.map((c) => c.name).join(', ')}`,
    );
  }
  return entry;
}
