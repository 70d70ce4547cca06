import { createTransport } from 'nodemailer';
import { startLocalSmtp, type LocalSmtp } from './localSmtp';

describe('startLocalSmtp: an SMTP server in the test process', () => {
  let smtp: LocalSmtp;
  beforeAll(async () => {
    smtp = await startLocalSmtp();
  });
  afterAll(() => smtp.close());

  it('accepts a message sent with the credentials of its URL and hands it to waitForMail, parsed', async () => {
    const transport = createTransport(smtp.url);
    const waiting = smtp.waitForMail('Ada@Example.com', 10_000);
    await transport.sendMail({ from: 'App <no-reply@app.test>', to: 'ada@example.com', subject: 'Hello', text: 'open https://app.test/x?token=1 now' });
    const mail = await waiting;
    expect(mail).toMatchObject({ to: ['ada@example.com'], from: '"App" <no-reply@app.test>', subject: 'Hello', links: ['https://app.test/x?token=1'] });
    expect(smtp.mailsTo('ada@example.com')).toEqual([mail]);
    transport.close();
  });

  it('gives each message once, waits for the next one, and times out naming what did arrive', async () => {
    const transport = createTransport(smtp.url);
    await transport.sendMail({ from: 'a@app.test', to: 'bob@example.com', subject: 'first', text: 'one' });
    expect((await smtp.waitForMail('bob@example.com', 10_000)).subject).toBe('first');
    const next = smtp.waitForMail('bob@example.com', 10_000);
    await transport.sendMail({ from: 'a@app.test', to: 'bob@example.com', subject: 'second', text: 'two' });
    expect((await next).subject).toBe('second');
    await expect(smtp.waitForMail('bob@example.com', 50)).rejects.toThrow(/no mail to bob@example.com within 50 ms \(received: .*"second"/);
    transport.close();
  });

  it('refuses a client with the wrong password', async () => {
    const wrong = new URL(smtp.url);
    wrong.password = 'wrong';
    const transport = createTransport(wrong.toString());
    await expect(transport.sendMail({ from: 'a@app.test', to: 'eve@example.com', subject: 'x', text: 'x' })).rejects.toMatchObject({ code: 'EAUTH' });
    expect(smtp.mailsTo('eve@example.com')).toEqual([]);
    transport.close();
  });
});
