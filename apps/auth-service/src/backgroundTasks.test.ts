import pino from 'pino';
import { BackgroundTasks } from './backgroundTasks';

describe('BackgroundTasks', () => {
  it('runs tasks without awaiting them, logs failures, and drains what is in flight', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const tasks = new BackgroundTasks(logger);
    const done: string[] = [];
    tasks.run('slow', () => new Promise((r) => setTimeout(() => r(done.push('slow')), 20)));
    tasks.run('fails', async () => {
      throw Object.assign(new Error('password=secret'), { code: 'P2002' });
    });
    expect(tasks.size).toBe(2);
    expect(done).toEqual([]);
    await tasks.drain();
    expect(done).toEqual(['slow']);
    expect(tasks.size).toBe(0);
    expect(lines.join('')).toContain('"task":"fails"');
    expect(lines.join('')).toContain('"code":"P2002"');
    expect(lines.join('')).not.toContain('secret');
  });

  it('stops waiting at the drain deadline and counts what it abandoned (a write stuck on a database that hangs)', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const tasks = new BackgroundTasks(logger);
    tasks.run('stuck', () => new Promise(() => undefined));
    tasks.run('quick', async () => undefined);
    await tasks.drain(50);
    expect(tasks.size).toBe(1);
    expect(lines.join('')).toContain('"abandoned":1');
  });
});
