// The pure Forgejo settings logic: names, the checks on a stack's settings, and sign-up settings order.
import { describe, expect, it } from 'vitest';
import {
  checkForgejoSettings,
  forgejoSetting,
  forgejoSignupSettings,
  PACKAGES_ENABLED,
} from '../../../lib/domain/forgejo-settings';
import { expectConfigError } from '../../support/synth';

describe('forgejo settings', () => {
  it('adds packages on, keeps the rest in order, refuses owned, mailer and credential settings', () => {
    const timeout = forgejoSetting('git.timeout', 'DEFAULT');
    expect(checkForgejoSettings('f', { [timeout]: '3600' })).toEqual({
      [timeout]: '3600',
      [PACKAGES_ENABLED]: 'true',
    });
    expect(
      expectConfigError(() => checkForgejoSettings('f', { [forgejoSetting('server', 'ROOT_URL')]: 'x' }))
        .message,
    ).toBe(
      'f: invalid settings = "FORGEJO__server__ROOT_URL"; allowed: settings other than ROOT_URL (from host) and those signup sets',
    );
    expect(expectConfigError(() => checkForgejoSettings('f', { FORGEJO__mailer__FROM: 'a@b' })).prop).toBe(
      'settings',
    );
    expect(
      expectConfigError(() => checkForgejoSettings('f', { FORGEJO__oauth__CLIENT_SECRET: 's' })).message,
    ).toContain('no credentials');
    expect(expectConfigError(() => checkForgejoSettings('f', { [PACKAGES_ENABLED]: 'false' })).prop).toBe(
      `settings.${PACKAGES_ENABLED}`,
    );
  });

  it('sign-up settings: captcha, confirmation, mailer, auto-registration, secrets as Secret keys only', () => {
    const out = forgejoSignupSettings({
      turnstile: {
        siteKey: 'site-key',
        secret: { secretName: 'forgejo-turnstile', key: 'cf-turnstile-secret' },
      },
      emailConfirm: true,
      mailer: {
        protocol: 'smtp+starttls',
        smtpHost: 'mail.example',
        smtpPort: 587,
        from: 'forgejo@example',
        user: 'forgejo',
        password: { secretName: 'forgejo-email', key: 'PASSWD' },
      },
      oauth2AutoRegistration: false,
    });
    expect(Object.keys(out)).toEqual([
      'FORGEJO__service__ENABLE_CAPTCHA',
      'FORGEJO__service__CAPTCHA_TYPE',
      'FORGEJO__service__CF_TURNSTILE_SITEKEY',
      'FORGEJO__service__CF_TURNSTILE_SECRET',
      'FORGEJO__service__REGISTER_EMAIL_CONFIRM',
      'FORGEJO__mailer__ENABLED',
      'FORGEJO__mailer__PROTOCOL',
      'FORGEJO__mailer__SMTP_ADDR',
      'FORGEJO__mailer__SMTP_PORT',
      'FORGEJO__mailer__FROM',
      'FORGEJO__mailer__USER',
      'FORGEJO__mailer__PASSWD',
      'FORGEJO__oauth2_client__ENABLE_AUTO_REGISTRATION',
    ]);
    expect(out.FORGEJO__service__CF_TURNSTILE_SECRET).toEqual({
      secretName: 'forgejo-turnstile',
      key: 'cf-turnstile-secret',
    });
    expect(out.FORGEJO__mailer__SMTP_PORT).toBe('587');
    expect(forgejoSignupSettings({ emailConfirm: false })).toEqual({});
  });
});
