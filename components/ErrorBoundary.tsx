import { Component, type ComponentChildren } from 'preact';
import { t } from '@/lib/core/i18n';

/** A drawing error shows a way back instead of a blank popup. The queue is safe in storage. */
export class ErrorBoundary extends Component<{ children: ComponentChildren }, { error?: Error }> {
  override state: { error?: Error } = {};

  override componentDidCatch(error: Error): void {
    this.setState({ error });
  }

  override render() {
    if (this.state.error) {
      return (
        <div class="crashed" role="alert">
          <p>{t('app.crashed', this.state.error.message)}</p>
          <p>{t('app.crashedSafe')}</p>
          <button type="button" onClick={() => location.reload()}>
            {t('app.reload')}
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
