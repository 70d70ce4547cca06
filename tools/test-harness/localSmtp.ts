import { EventEmitter } from 'node:events';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports';

/** One message the server accepted, parsed. */
export interface ReceivedMail {
  /** The envelope's sender (MAIL FROM). */
  envelopeFrom: string;
  /** The envelope's recipients (RCPT TO), lower-cased. */
  to: string[];
  /** The From header as written. */
  from: string;
  subject: string;
  /** The plain-text body. */
  text: string;
  /** Every http(s) link in the body, in order. */
  links: string[];
}

export interface LocalSmtp {
  /** `smtp://user:password@127.0.0.1:<port>` (no user with `auth: false`). */
  url: string;
  port: number;
  /** Every accepted message, in arrival order. */
  readonly messages: readonly ReceivedMail[];
  /** Messages to `address` received so far. */
  mailsTo(address: string): ReceivedMail[];
  /**
   * The first message to `address` not yet taken by an earlier call, waiting for it until
   * `deadlineMs` passes (then it throws, naming the address and what did arrive).
   */
  waitForMail(address: string, deadlineMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export interface LocalSmtpOptions {
  /** Require AUTH PLAIN/LOGIN with these credentials. @default { user: 'mailer', password: <random> } */
  auth?: { user: string; password: string } | false;
  /** Called with each message as it is accepted (e.g. to append it to a file). */
  onMail?: (mail: ReceivedMail) => void;
}

const LINK = /https?:\/\/[^\s<>"]+/g;

/**
 * An SMTP server in this process (`smtp-server`), on a free loopback port: it accepts every
 * message (after AUTH when `auth` is set), parses it with `mailparser` before answering 250 — so a
 * client whose send resolved finds its message in `messages` — and keeps it. Plain SMTP without
 * STARTTLS (loopback only), so `smtp://` URLs work without certificates.
 */
export async function startLocalSmtp(options: LocalSmtpOptions = {}): Promise<LocalSmtp> {
  const auth = options.auth === false ? undefined : (options.auth ?? { user: 'mailer', password: `pw-${Math.random().toString(36).slice(2)}` });
  const messages: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const arrivals = new EventEmitter();
  const server = new SMTPServer({
    secure: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !auth,
    logger: false,
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.password) return callback(null, { user: credentials.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const text = parsed.text ?? '';
          const mail: ReceivedMail = {
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text,
            links: text.match(LINK) ?? [],
          };
          messages.push(mail);
          options.onMail?.(mail);
          arrivals.emit('mail', mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const mailsTo = (address: string) => messages.filter((m) => m.to.includes(address.toLowerCase()));
  const untaken = (address: string) => mailsTo(address).find((m) => !taken.has(m));
  return {
    url: auth ? `smtp://${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@127.0.0.1:${port}` : `smtp://127.0.0.1:${port}`,
    port,
    messages,
    mailsTo,
    waitForMail(address, deadlineMs = 10_000) {
      return new Promise((resolve, reject) => {
        const take = (mail: ReceivedMail) => {
          taken.add(mail);
          clearTimeout(timer);
          arrivals.off('mail', onMail);
          resolve(mail);
        };
        const onMail = () => {
          const next = untaken(address);
          if (next) take(next);
        };
        const timer = setTimeout(() => {
          arrivals.off('mail', onMail);
          reject(new Error(`no mail to ${address} within ${deadlineMs} ms (received: ${messages.map((m) => `${m.to.join(',')} "${m.subject}"`).join('; ') || 'none'})`));
        }, deadlineMs);
        arrivals.on('mail', onMail);
        onMail();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
