import type { Redis } from 'ioredis';
import type { InvalidationLagObserver } from '../cacheOptions';
import type { CacheLogger } from '../logger';
import { type BusMessage, decodeBusMessage } from './busMessage';
import { deliverRemote } from './deliverRemote';

export interface InvalidationBusHandlers {
  /** A message from another instance. */
  onMessage(message: BusMessage): void;
  /** The subscription came back after a drop: messages may have been missed. */
  onReconnect(): void;
  /** Told publish → applied, in seconds, for every applied message that carries its publish time. */
  lag?: InvalidationLagObserver;
}

/**
 * The receiving half of cross-instance invalidation, on its own subscriber connection (a
 * subscribed ioredis connection cannot run other commands). Publishing goes through the
 * command connection so it shares the L2 breaker. ioredis resubscribes by itself after a
 * reconnect; we only have to tell the cache that it may have missed messages.
 */
export class InvalidationBus {
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #instanceId: string;
  readonly #handlers: InvalidationBusHandlers;
  readonly #logger: CacheLogger;
  #subscribedOnce = false;
  #lostSinceSubscribe = false;

  constructor(subscriber: Redis, channel: string, instanceId: string, handlers: InvalidationBusHandlers, logger: CacheLogger) {
    this.#subscriber = subscriber;
    this.#channel = channel;
    this.#instanceId = instanceId;
    this.#handlers = handlers;
    this.#logger = logger;
    subscriber.on('message', this.#onMessage);
    subscriber.on('close', this.#onClose);
    subscriber.on('ready', this.#onReady);
    // Without a listener ioredis prints every connection error; the L2 facade reports outages.
    subscriber.on('error', this.#onError);
  }

  /** True while the subscription is live (connected, subscribed, nothing missed since). */
  get healthy(): boolean {
    return this.#subscribedOnce && !this.#lostSinceSubscribe && this.#subscriber.status === 'ready';
  }

  /** Subscribes; resolves once the subscription is active. */
  async start(): Promise<void> {
    try {
      await this.#subscriber.subscribe(this.#channel);
      this.#subscribedOnce = true;
    } catch (error) {
      // Subscribe again (and forget L1) on the next 'ready'.
      this.#subscribedOnce = true;
      this.#lostSinceSubscribe = true;
      throw error;
    }
  }

  /** Unsubscribes and closes the subscriber connection. */
  async stop(): Promise<void> {
    this.#subscriber.off('message', this.#onMessage);
    this.#subscriber.off('close', this.#onClose);
    this.#subscriber.off('ready', this.#onReady);
    this.#subscriber.disconnect();
    this.#subscriber.off('error', this.#onError);
  }

  readonly #onMessage = (channel: string, text: string): void => {
    if (channel !== this.#channel) return;
    const message = decodeBusMessage(text);
    if (message === undefined) {
      this.#logger.debug?.({ channel }, 'cache bus: ignored a malformed message');
      return;
    }
    deliverRemote(message, this.#instanceId, this.#handlers);
  };

  readonly #onClose = (): void => {
    if (this.#subscribedOnce) this.#lostSinceSubscribe = true;
  };

  readonly #onReady = (): void => {
    if (!this.#lostSinceSubscribe) return;
    this.#lostSinceSubscribe = false;
    // ioredis re-sends SUBSCRIBE before 'ready' (autoResubscribe); anything published while
    // we were away is lost. Our own (idempotent) SUBSCRIBE is answered after that one, so
    // once it resolves the subscription is live and clearing L1 cannot race a missed message.
    this.#subscriber.subscribe(this.#channel).then(
      () => {
        this.#logger.info?.({ channel: this.#channel }, 'cache bus: reconnected, clearing L1');
        this.#handlers.onReconnect();
      },
      // The connection dropped again: the next 'ready' repeats this.
      () => {
        this.#lostSinceSubscribe = true;
      },
    );
  };

  readonly #onError = (error: Error): void => {
    this.#logger.debug?.({ err: { message: error.message, code: (error as { code?: string }).code } }, 'cache bus: connection error');
  };
}
