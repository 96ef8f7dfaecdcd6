/** Small line icons, drawn in the text colour; decorative (the button around names itself). */
const PATHS = {
  play: 'M5 3.5v9l7.5-4.5z',
  stop: 'M4.5 4.5h7v7h-7z',
  up: 'M8 13V3.5M3.5 8 8 3.5 12.5 8',
  down: 'M8 3v9.5M3.5 8 8 12.5 12.5 8',
  remove: 'M4 4l8 8M12 4l-8 8',
  closed: 'M6 3.5 10.5 8 6 12.5',
  open: 'M3.5 6 8 10.5 12.5 6',
} as const;

const FILLED = new Set(['play', 'stop']);

export function Icon({ name }: { name: keyof typeof PATHS }) {
  const filled = FILLED.has(name);
  return (
    <svg
      class="icon-svg"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={PATHS[name]}
        fill={filled ? 'currentColor' : 'none'}
        stroke={filled ? 'none' : 'currentColor'}
        stroke-width="1.8"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
