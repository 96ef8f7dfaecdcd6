import { Component, type ComponentChildren } from 'preact';

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
          <p>Seam could not draw this page: {this.state.error.message}</p>
          <p>Your tracks are safe.</p>
          <button type="button" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
