import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server in the test process: what the site sent, parsed, and a switch for outages. */
export interface SmtpInbox {
  port: number;
  messages: ParsedMail[];
  /** Answers every message with 451 (a temporary failure) while true. */
  isRefusing: boolean;
  /** How many messages were refused. */
  refused: number;
  /** Waits until `count` messages have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Stops listening (the port refuses connections) and frees it for `listen` again. */
  close(): Promise<void>;
  listen(): Promise<void>;
}

export async function startSmtpInbox(port = 0): Promise<SmtpInbox> {
  const inbox: SmtpInbox = {
    port,
    messages: [],
    isRefusing: false,
    refused: 0,
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (inbox.messages.length < count) {
        if (Date.now() > deadline) throw new Error(`Expected ${count} emails, got ${inbox.messages.length}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return inbox.messages;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
    listen: () => listen(),
  };
  let server: SMTPServer;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      // Plain SMTP on 127.0.0.1: no STARTTLS (its certificate would be self-signed), no sign-in.
      server = new SMTPServer({
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, _session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            if (inbox.isRefusing) {
              inbox.refused += 1;
              callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
              return;
            }
            void simpleParser(Buffer.concat(chunks)).then((mail) => {
              inbox.messages.push(mail);
              callback();
            }, callback);
          });
        },
      });
      server.once('error', reject);
      server.listen(inbox.port, '127.0.0.1', () => {
        const address = server.server.address();
        if (typeof address === 'object' && address) inbox.port = address.port;
        resolve();
      });
    });
  await listen();
  return inbox;
}
