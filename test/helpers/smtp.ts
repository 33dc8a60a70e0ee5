import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server on 127.0.0.1 (the smtp-server package, from nodemailer's makers) that keeps
 * every message it accepts, raw, with its envelope. STARTTLS is switched off: the tests speak plain
 * SMTP to this machine only.
 */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface LocalSmtp {
  port: number;
  mails: ReceivedMail[];
  /** Resolves once `count` messages have arrived in total. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<LocalSmtp> {
  const mails: ReceivedMail[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        for (const w of waiters.filter((x) => mails.length >= x.count)) w.resolve();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    waitFor: (count) => (mails.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A header's value (unfolded). */
export function header(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

function decode(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** Every leaf part of a MIME message: its content type, file name and decoded body. */
export function mimeParts(raw: string): { type: string; filename: string | null; body: string }[] {
  const out: { type: string; filename: string | null; body: string }[] = [];
  const walk = (entity: string) => {
    const [head = '', ...rest] = entity.split(/\r?\n\r?\n/);
    const body = rest.join('\r\n\r\n');
    const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
    const type = /content-type:\s*([^;\r\n]+)/i.exec(unfolded)?.[1]?.trim().toLowerCase() ?? 'text/plain';
    const boundary = /boundary="?([^";\r\n]+)"?/i.exec(unfolded)?.[1];
    if (type.startsWith('multipart/') && boundary) {
      const pieces = body.split(`--${boundary}`).slice(1);
      for (const p of pieces) if (!p.startsWith('--')) walk(p.replace(/^\r?\n/, ''));
      return;
    }
    const encoding = /content-transfer-encoding:\s*([^\s;]+)/i.exec(unfolded)?.[1]?.toLowerCase() ?? '7bit';
    const filename = /filename="?([^";\r\n]+)"?/i.exec(unfolded)?.[1] ?? null;
    out.push({ type, filename, body: decode(body.replace(/\r?\n$/, ''), encoding) });
  };
  walk(raw);
  return out;
}
