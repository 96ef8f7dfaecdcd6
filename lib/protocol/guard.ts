import { browser } from '#imports';
import type { ExtensionMessenger } from '@webext-core/messaging';
import { isExtensionPage, isOffscreenDocument, isServiceWorker, type Sender } from './senders';

/**
 * Messengers whose every handler checks the sender first, by a rule per message type stated
 * once beside the protocol (./index.ts): a message from anyone else is refused with an error
 * before its handler runs, so it changes nothing. Any extension context.
 */

/** Who may send a message: the extension's pages, the engine's host, or the background. */
export type SenderRule = 'pages' | 'engine' | 'background';

const RULES: Record<SenderRule, (sender: Sender, base: string, id: string) => boolean> = {
  pages: isExtensionPage,
  engine: isOffscreenDocument,
  background: isServiceWorker,
};

// webext-core's own constraint on protocol maps (an interface only fits `any` values here).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ProtocolMap = Record<string, any>;

export function guardMessaging<P extends ProtocolMap>(
  messenger: ExtensionMessenger<P>,
  rules: { [K in keyof P]: SenderRule },
): ExtensionMessenger<P> {
  return {
    ...messenger,
    onMessage: (type, handler) =>
      messenger.onMessage(type, (message) => {
        const sender: Sender = message.sender;
        if (!RULES[rules[type]](sender, browser.runtime.getURL('/'), browser.runtime.id)) {
          throw new Error(
            `Seam refused ${String(type)} from ${sender.url ?? 'an unknown sender'}: only ${rules[type]} may send it.`,
          );
        }
        return handler(message);
      }),
  };
}
