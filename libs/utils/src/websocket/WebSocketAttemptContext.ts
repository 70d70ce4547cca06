import { AttemptContext, type AttemptSignalSource } from '../retry/AttemptContext';
import type { WebSocketRetryContext } from './WebSocketRetryOptions';

/** An attempt's context for WebSocket work: `AttemptContext` (lazy `signal`) plus the connection. */
export class WebSocketAttemptContext extends AttemptContext implements WebSocketRetryContext {
  readonly connectionId: string;

  constructor(attempt: number, source: AttemptSignalSource | undefined, connectionId: string) {
    super(attempt, source);
    this.connectionId = connectionId;
  }
}
