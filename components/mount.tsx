import { render } from 'preact';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import './style.css';

export function mount(root: HTMLElement, compact: boolean): void {
  render(
    <ErrorBoundary>
      <App compact={compact} />
    </ErrorBoundary>,
    root,
  );
}
