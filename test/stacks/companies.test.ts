import { describe, expect, it } from 'vitest';
import { CompanyVm } from '../../constructs/patterns/company-vm';
import { checkCompanyRegistry, REGISTRY_SCOPE } from '../../lib/domain/company-profiles';
import { DEFAULT_SITE } from '../../lib/conventions/site';
import { COMPANIES, companyProps, type CompanyEntry } from '../../stacks/companies';
import { STACKS } from '../../stacks';
import { expectConfigError, testStack } from '../support/synth';

describe('company registry (stacks/companies.ts)', () => {
  it('is valid as a whole and every company has its stack', () => {
    const planned = checkCompanyRegistry(COMPANIES, DEFAULT_SITE.sharedLbPorts, DEFAULT_SITE.sharedLbIp);
    expect([...planned.keys()]).toEqual(['acme-corp', 'globex']);
    for (const c of COMPANIES) expect(STACKS.map((s) => s.name)).toContain(`company-${c.name}`);
  });

  it('building one company checks the others: a bad sibling entry fails it', () => {
    const bad: CompanyEntry[] = [
      ...COMPANIES,
      { name: 'initech', blockIndex: 0, artifactsUrl: 'https://x.example' }, // acme-corp's block
    ];
    const stack = testStack('company-acme-corp');
    const err = expectConfigError(
      () => new CompanyVm(stack, 'acme-corp', companyProps(stack, 'acme-corp', bad)),
    );
    expect(err.constructPath).toBe(`${REGISTRY_SCOPE} company "initech"`);
    expect(err.message).toContain(
      "invalid blockIndex = 0; allowed: a block index no other VM uses (0 is acme-corp's)",
    );
  });

  it('a duplicate company name in the registry fails every company stack', () => {
    const dup: CompanyEntry[] = [...COMPANIES, { ...COMPANIES[0], blockIndex: 40 }];
    const err = expectConfigError(() => companyProps(testStack(), 'globex', dup));
    expect(err.message).toBe(
      `${REGISTRY_SCOPE} entry 2 "acme-corp": invalid name = "acme-corp"; allowed: each company name once`,
    );
  });

  it('an unknown company name names the known ones', () => {
    const err = expectConfigError(() => companyProps(testStack('s'), 'umbrella'));
    expect(err.message).toBe(
      's: invalid company = "umbrella"; allowed: a company of stacks/companies.ts: acme-corp, globex',
    );
  });
});
