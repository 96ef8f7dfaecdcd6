import { render } from 'preact';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { reportUncaught } from '@/lib/queue/alerts';
import './style.css';

export function mount(root: HTMLElement, compact: boolean): void {
  // A promise or handler that fails without a catch still reaches the person.
  reportUncaught(window);
  render(
    <ErrorBoundary>
      <App compact={compact} />
    </ErrorBoundary>,
    root,
  );
}
