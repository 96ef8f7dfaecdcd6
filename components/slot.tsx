import type { ComponentChildren } from 'preact';

/** Stands in a message's substitution where a drawn element goes (`fill`). */
export const SLOT = '\u0001';

/**
 * A translated sentence with an element in it: `fill(t('join.saved', SLOT, size), <strong/>)`.
 * The message decides where the element sits, so each language keeps its own word order.
 */
export function fill(message: string, node: ComponentChildren) {
  const [before, after] = message.split(SLOT);
  return (
    <>
      {before}
      {node}
      {after}
    </>
  );
}
