import { createTransport } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';

/** One plain-text mail to one address. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where mail goes: an SMTP server (SMTP_URL), or the log in development and test. */
export interface Mailer {
  readonly kind: 'smtp' | 'log';
  /** Resolves once the server accepted the message (or it was logged); rejects on a refusal or timeout. */
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

/**
 * Bounds of one delivery: a server that does not answer must not keep a task (and shutdown's
 * drain) waiting for nodemailer's defaults of minutes.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, dnsTimeout: 10_000 } as const;

/** Host and port of an SMTP URL, for log lines: never the user or the password. */
export function describeSmtpUrl(smtpUrl: string): string {
  const parsed = new URL(smtpUrl);
  return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}`;
}

/** nodemailer over `smtpUrl` (`smtp://` upgrades with STARTTLS when offered, `smtps://` is TLS from the start). */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS }, { from });
  return {
    kind: 'smtp',
    async send(message) {
      await transport.sendMail(message);
    },
    async close() {
      transport.close();
    },
  };
}

/** Development and test without SMTP_URL: the mail, link included, is logged at info instead of sent. */
export function logMailer(logger: FastifyBaseLogger, from: string): Mailer {
  return {
    kind: 'log',
    async send(message) {
      // `mail.text`, not a `url` or `token` field: those are redacted from every log line.
      logger.info({ component: 'mail', mail: { from, ...message } }, 'mail not sent (no SMTP_URL): logged here with its link');
    },
    close: () => Promise.resolve(),
  };
}

/** The mailer of the configuration: SMTP with SMTP_URL, the log without it (production refuses that in config.ts). */
export function mailerOf(config: { SMTP_URL?: string }, from: string, logger: FastifyBaseLogger): Mailer {
  if (!config.SMTP_URL) {
    logger.info({ component: 'mail' }, 'mail: no SMTP_URL, password-reset and verification mail is logged, not sent');
    return logMailer(logger, from);
  }
  logger.info({ component: 'mail', smtp: describeSmtpUrl(config.SMTP_URL), from }, 'mail: SMTP');
  return smtpMailer(config.SMTP_URL, from);
}
