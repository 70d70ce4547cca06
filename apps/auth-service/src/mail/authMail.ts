import type { BetterAuthOptions } from 'better-auth';
import type { BackgroundTasks } from '../backgroundTasks';
import { resetPasswordMail, verificationMail } from './templates';
import type { Mailer, MailMessage } from './transport';

/** A reset link works this long (Better-Auth's `resetPasswordTokenExpiresIn`, its default). */
export const RESET_PASSWORD_TTL_S = 60 * 60;

/** A verification link works this long (Better-Auth's `emailVerification.expiresIn`, its default). */
export const VERIFICATION_TTL_S = 60 * 60;

export interface AuthMailDependencies {
  mailer: Mailer;
  /** Delivery runs here, after the answer: drained at shutdown, failures logged (code only). */
  background: BackgroundTasks;
  appName: string;
}

type EmailAndPassword = NonNullable<BetterAuthOptions['emailAndPassword']>;
type EmailVerification = NonNullable<BetterAuthOptions['emailVerification']>;

/**
 * Better-Auth's mail hooks: `emailAndPassword.sendResetPassword` (`/request-password-reset`) and
 * `emailVerification` (`sendOnSignUp`, `/send-verification-email`, `/verify-email`).
 *
 * Each hook hands the delivery to the app's BackgroundTasks and returns at once, as Better-Auth
 * advises ("avoid awaiting the email sending to prevent timing attacks"): the answer does not wait
 * for the SMTP server, so neither its speed nor its failure tells a caller whether the address
 * has an account — `/request-password-reset` answers the same for an unknown address (Better-Auth
 * does so, and sends nothing), and a slow or refusing server is a warn line, never a 5xx.
 */
export function authMailOptions(deps: AuthMailDependencies): { emailAndPassword: Pick<EmailAndPassword, 'sendResetPassword' | 'resetPasswordTokenExpiresIn'>; emailVerification: EmailVerification } {
  const deliver = (task: string, message: MailMessage): void => deps.background.run(task, () => deps.mailer.send(message));
  const link = (user: { email: string; name?: string | null }, url: string, ttlS: number) => ({ to: user.email, name: user.name, url, validMinutes: ttlS / 60, appName: deps.appName });
  return {
    emailAndPassword: {
      resetPasswordTokenExpiresIn: RESET_PASSWORD_TTL_S,
      sendResetPassword: async ({ user, url }) => deliver('mail: reset password', resetPasswordMail(link(user, url, RESET_PASSWORD_TTL_S))),
    },
    emailVerification: {
      sendOnSignUp: true,
      expiresIn: VERIFICATION_TTL_S,
      // Following the link proves the address; signing in stays a separate step (no session by mail).
      autoSignInAfterVerification: false,
      sendVerificationEmail: async ({ user, url }) => deliver('mail: verify email', verificationMail(link(user, url, VERIFICATION_TTL_S))),
    },
  };
}
