import { z } from 'zod';
import { emptyAsUndefined, url } from '../configFields';

/** `Name <local@domain>` or `local@domain`: what SMTP_FROM may hold (one mailbox). */
const MAILBOX = /^(?:[^<>"\r\n]{0,200}<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))$/;

/** The address part of a mailbox (`Name <a@b>` → `a@b`), or undefined when it is none. */
export function mailboxAddress(value: string): string | undefined {
  const match = MAILBOX.exec(value.trim());
  return match ? (match[1] ?? match[2]) : undefined;
}

/** Outgoing mail (password reset, email verification); merged into the app's config schema. */
export const mailConfigShape = {
  /**
   * SMTP server for password-reset and verification mail: `smtp://user:pass@host:587` (STARTTLS
   * when the server offers it) or `smtps://user:pass@host:465` (TLS from the start). Required in
   * production; unset in development and test, each mail is logged (info) with its link instead of
   * sent. A secret (it may carry the password): never logged.
   */
  SMTP_URL: z.preprocess(emptyAsUndefined, url(['smtp:', 'smtps:']).optional()),
  /** The From of that mail (`Name <address>` or `address`); unset → `auth-service <no-reply@<host of BETTER_AUTH_URL>>`. */
  SMTP_FROM: z.preprocess(emptyAsUndefined, z.string().max(320).refine((value) => mailboxAddress(value) !== undefined, 'must be an address or "Name <address>"').optional()),
};

/** Production sends mail for real: without SMTP_URL a user could never reset a password or verify an address. */
export function checkMailConfig(config: { NODE_ENV: string; SMTP_URL?: string }, ctx: z.RefinementCtx): void {
  if (config.NODE_ENV === 'production' && !config.SMTP_URL) {
    ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'is required in production: password-reset and verification mail go through it (smtp://user:pass@host:587 or smtps://user:pass@host:465)' });
  }
}

/** SMTP_FROM, or `auth-service <no-reply@<host of the base URL>>`. */
export function mailFromOf(config: { SMTP_FROM?: string }, baseURL: string): string {
  return config.SMTP_FROM ?? `auth-service <no-reply@${new URL(baseURL).hostname}>`;
}
