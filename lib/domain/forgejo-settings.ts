// Forgejo configuration as environment variables (app.ini through FORGEJO__<section>__<KEY>), the
// settings the ForgejoRegistry construct owns, and the checks on what a stack may set. Pure: no cdktf.
import type { IConstruct } from 'constructs';
import { invalid } from '../validation/errors';
import { noCredentialLiterals } from '../validation/conventions';

/** Forgejo user names: letters, digits, '-', '_', '.'; no punctuation at either end or twice in a row; <= 40. */
export const FORGEJO_USER = /^(?=.{1,40}$)[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$/;
const SETTING_NAME = /^FORGEJO__[A-Za-z0-9_]+__[A-Za-z0-9_]+$/;
const CREDENTIAL_KEY = /(PASSWD|PASSWORD|SECRET|TOKEN|SECRET_KEY)$/i;

/**
 * The Forgejo environment variable of an app.ini setting: `FORGEJO__<section>__<key>`, with characters
 * outside [A-Za-z0-9_] written as `_0X<hex>_` (Forgejo's env-to-ini escape): `forgejoSetting('git.timeout',
 * 'DEFAULT')` is `FORGEJO__git_0X2E_timeout__DEFAULT`.
 */
export function forgejoSetting(section: string, key: string): string {
  const esc = (s: string) =>
    s.replace(/[^A-Za-z0-9_]/g, (c) => `_0X${c.charCodeAt(0).toString(16).toUpperCase()}_`);
  return `FORGEJO__${esc(section)}__${esc(key)}`;
}

/** The registry is the point of the construct: packages stay enabled. */
export const PACKAGES_ENABLED = forgejoSetting('packages', 'ENABLED');

/** Settings the construct writes itself (from `signup`, the host, ...): not accepted in `settings`. */
export const OWNED_SETTINGS: ReadonlySet<string> = new Set([
  forgejoSetting('server', 'ROOT_URL'),
  forgejoSetting('service', 'ENABLE_CAPTCHA'),
  forgejoSetting('service', 'CAPTCHA_TYPE'),
  forgejoSetting('service', 'CF_TURNSTILE_SITEKEY'),
  forgejoSetting('service', 'CF_TURNSTILE_SECRET'),
  forgejoSetting('service', 'REGISTER_EMAIL_CONFIRM'),
  forgejoSetting('oauth2_client', 'ENABLE_AUTO_REGISTRATION'),
]);

/**
 * Checks a stack's extra settings (names, no owned settings, no mailer settings, no credentials, packages
 * on) and returns them with packages enabled when unset.
 */
export function checkForgejoSettings(
  scope: IConstruct | string,
  settings: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings)) {
    const prop = `settings.${k}`;
    if (!SETTING_NAME.test(k)) {
      invalid(scope, 'settings', k, 'FORGEJO__<section>__<KEY> names (see forgejoSetting(section, key))');
    }
    if (OWNED_SETTINGS.has(k) || k.startsWith('FORGEJO__mailer__')) {
      invalid(scope, 'settings', k, 'settings other than ROOT_URL (from host) and those signup sets');
    }
    if (CREDENTIAL_KEY.test(k)) {
      invalid(scope, 'settings', k, 'no credentials: pass secrets through a Secret, never as plain env');
    }
    if (typeof v !== 'string') invalid(scope, prop, v, 'a string');
    if (k === PACKAGES_ENABLED && v !== 'true') {
      invalid(scope, prop, v, '"true": the OCI registry is the point of this construct');
    }
    out[k] = v;
  }
  noCredentialLiterals(scope, 'settings', out);
  if (!(PACKAGES_ENABLED in out)) out[PACKAGES_ENABLED] = 'true';
  return out;
}

/** A key of a Kubernetes Secret (structurally the workload blocks' `SecretKeyRef`). */
export interface SecretKeySource {
  readonly secretName: string;
  readonly key: string;
}

/** Inputs of the sign-up settings; each part is optional. */
export interface ForgejoSignupInputs {
  /** Cloudflare Turnstile on the sign-up form: the public site key and the Secret with the secret key. */
  readonly turnstile?: { readonly siteKey: string; readonly secret: SecretKeySource };
  /** New accounts must confirm their address (needs a mailer). */
  readonly emailConfirm: boolean;
  readonly mailer?: {
    readonly protocol: string;
    readonly smtpHost: string;
    readonly smtpPort: number;
    readonly from: string;
    readonly user: string;
    readonly password: SecretKeySource;
  };
  readonly oauth2AutoRegistration?: boolean;
}

/**
 * The sign-up protection as Forgejo settings, in a stable order: captcha (the site key is public, the
 * secret stays in its Secret), email confirmation, mailer, OAuth2 auto-registration.
 */
export function forgejoSignupSettings(i: ForgejoSignupInputs): Record<string, string | SecretKeySource> {
  const out: Record<string, string | SecretKeySource> = {};
  if (i.turnstile) {
    out[forgejoSetting('service', 'ENABLE_CAPTCHA')] = 'true';
    out[forgejoSetting('service', 'CAPTCHA_TYPE')] = 'cfturnstile';
    out[forgejoSetting('service', 'CF_TURNSTILE_SITEKEY')] = i.turnstile.siteKey;
    out[forgejoSetting('service', 'CF_TURNSTILE_SECRET')] = i.turnstile.secret;
  }
  if (i.emailConfirm) out[forgejoSetting('service', 'REGISTER_EMAIL_CONFIRM')] = 'true';
  if (i.mailer) {
    const m = i.mailer;
    out[forgejoSetting('mailer', 'ENABLED')] = 'true';
    out[forgejoSetting('mailer', 'PROTOCOL')] = m.protocol;
    out[forgejoSetting('mailer', 'SMTP_ADDR')] = m.smtpHost;
    out[forgejoSetting('mailer', 'SMTP_PORT')] = String(m.smtpPort);
    out[forgejoSetting('mailer', 'FROM')] = m.from;
    out[forgejoSetting('mailer', 'USER')] = m.user;
    out[forgejoSetting('mailer', 'PASSWD')] = m.password;
  }
  if (i.oauth2AutoRegistration !== undefined) {
    out[forgejoSetting('oauth2_client', 'ENABLE_AUTO_REGISTRATION')] = String(i.oauth2AutoRegistration);
  }
  return out;
}
