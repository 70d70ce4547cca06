import { resetPasswordMail, verificationMail } from './templates';

const input = { to: 'ada@example.com', name: 'Ada', url: 'https://auth.example.com/api/auth/reset-password/TOKEN123?callbackURL=', validMinutes: 60, appName: 'auth-service' };

describe('mail templates (plain text)', () => {
  it('the reset mail names the service, carries the link on a line of its own and says how long it works', () => {
    const mail = resetPasswordMail(input);
    expect(mail).toMatchObject({ to: 'ada@example.com', subject: 'Reset your auth-service password' });
    expect(mail.text.split('\n')).toContain(input.url);
    expect(mail.text).toMatch(/^Hello Ada,\n/);
    expect(mail.text).toContain('for 1 hour.');
    expect(mail.text).toContain('ignore this mail');
  });

  it('the verification mail names the address and the link', () => {
    const url = 'https://auth.example.com/api/auth/verify-email?token=JWT&callbackURL=%2F';
    const mail = verificationMail({ ...input, url, validMinutes: 90 });
    expect(mail.subject).toBe('Verify your email address for auth-service');
    expect(mail.text.split('\n')).toContain(url);
    expect(mail.text).toContain('ada@example.com is your address');
    expect(mail.text).toContain('for 90 minutes.');
  });

  it('greets without a name when the user has none', () => {
    expect(resetPasswordMail({ ...input, name: '  ' }).text).toMatch(/^Hello,\n/);
    expect(verificationMail({ ...input, name: null }).text).toMatch(/^Hello,\n/);
  });
});
