import { keyForm, type MessageReader } from './i18n';

/**
 * A message reader over a Chrome `messages.json` as @wxt-dev/i18n builds it: keys with "_" for
 * ".", "$1"… for the substitutions (already written, the count first for plurals), "$$" for a
 * dollar sign, and a plural message's forms joined by " | " ("1 | n", or "0 | 1 | n"), picked
 * by English rules. Pure.
 */
export function englishReader(messages: Record<string, { message?: string }>): MessageReader {
  return (key, n, subs) => {
    const message = messages[key.replaceAll('.', '_')]?.message;
    if (message === undefined) return keyForm(key, subs);
    const forms = message.split(' | ');
    const form =
      n === undefined || forms.length === 1
        ? forms[0]!
        : forms.length === 3 && n === 0
          ? forms[0]!
          : n === 1
            ? forms[forms.length - 2]!
            : forms[forms.length - 1]!;
    return form.replace(/\$(\$|[1-9])/g, (_, d: string) =>
      d === '$' ? '$' : (subs[Number(d) - 1] ?? ''),
    );
  };
}
