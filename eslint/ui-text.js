/**
 * `seam/no-ui-literal`: in components/, words a person sees come from locales/ through
 * lib/core/i18n.ts (`t`, `tn`), never from a string in the code. Flags text between JSX tags,
 * strings given to the attributes people read or hear (label, title, aria-label, placeholder,
 * ...), strings a JSX child expression yields (`{on ? 'Stop' : 'Play'}`), and `label:` entries
 * of option lists. A string with no letter in it (" · ", "%", "▶") is not words and passes.
 */
const WORDS = /\p{L}{2,}/u;
const UI_ATTRS = new Set([
  'label',
  'visibleLabel',
  'title',
  'aria-label',
  'aria-valuetext',
  'aria-description',
  'aria-roledescription',
  'placeholder',
  'alt',
  'hint',
  'suffix',
]);

/** String parts an expression yields directly (not through a call such as `t('key')`). */
function yielded(node) {
  if (!node) return [];
  switch (node.type) {
    case 'Literal':
      return typeof node.value === 'string' ? [node] : [];
    case 'TemplateLiteral':
      return [...node.quasis, ...node.expressions.flatMap(yielded)];
    case 'ConditionalExpression':
      return [...yielded(node.consequent), ...yielded(node.alternate)];
    case 'LogicalExpression':
      return [...yielded(node.left), ...yielded(node.right)];
    case 'BinaryExpression':
      return node.operator === '+' ? [...yielded(node.left), ...yielded(node.right)] : [];
    case 'JSXExpressionContainer':
      return yielded(node.expression);
    default:
      return [];
  }
}

function textOf(part) {
  return part.type === 'TemplateElement' ? part.value.cooked : String(part.value);
}

export default {
  meta: {
    type: 'problem',
    messages: {
      literal:
        'User-visible text "{{text}}" is hard-coded: put it in locales/en.yml and read it with t() or tn() (lib/core/i18n.ts).',
    },
    schema: [],
  },
  create(context) {
    const report = (part) => {
      const text = textOf(part).trim();
      if (WORDS.test(text)) {
        context.report({ node: part, messageId: 'literal', data: { text: text.slice(0, 40) } });
      }
    };
    return {
      JSXText: report,
      JSXAttribute(node) {
        const name = node.name.type === 'JSXNamespacedName' ? node.name.name.name : node.name.name;
        if (UI_ATTRS.has(name)) yielded(node.value).forEach(report);
      },
      'JSXElement > JSXExpressionContainer, JSXFragment > JSXExpressionContainer'(node) {
        yielded(node).forEach(report);
      },
      Property(node) {
        const key = node.key.type === 'Identifier' ? node.key.name : node.key.value;
        if (UI_ATTRS.has(key)) yielded(node.value).forEach(report);
      },
    };
  },
};
