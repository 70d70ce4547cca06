import type { MailMessage } from './transport';

/** Who a mail is for, and the link Better-Auth made for them. */
export interface LinkMailInput {
  to: string;
  /** The user's display name; the greeting falls back to a plain "Hello". */
  name?: string | null;
  url: string;
  /** How long the link works, in minutes. */
  validMinutes: number;
  /** The service's name as the user knows it. */
  appName: string;
}

const greeting = (name?: string | null) => (name?.trim() ? `Hello ${name.trim()},` : 'Hello,');

const lasting = (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`);

/** The password-reset mail: the link, how long it works, and what to do when the user did not ask. */
export function resetPasswordMail(input: LinkMailInput): MailMessage {
  return {
    to: input.to,
    subject: `Reset your ${input.appName} password`,
    text: [
      greeting(input.name),
      '',
      `Somebody asked to reset the password of your ${input.appName} account. To choose a new one, open this link:`,
      '',
      input.url,
      '',
      `The link works once, for ${lasting(input.validMinutes)}. Setting a new password signs you out everywhere.`,
      'If you did not ask for this, ignore this mail: your password stays as it is.',
      '',
    ].join('\n'),
  };
}

/** The verification mail: the link that proves the address belongs to the user. */
export function verificationMail(input: LinkMailInput): MailMessage {
  return {
    to: input.to,
    subject: `Verify your email address for ${input.appName}`,
    text: [
      greeting(input.name),
      '',
      `To confirm that ${input.to} is your address at ${input.appName}, open this link:`,
      '',
      input.url,
      '',
      `The link works for ${lasting(input.validMinutes)}.`,
      'If you did not create an account, ignore this mail.',
      '',
    ].join('\n'),
  };
}
