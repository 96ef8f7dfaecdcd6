import { defineUnlistedScript } from '#imports';
import { startFfmpegWorker } from '@/lib/engine/worker/main';

// Seam's ffmpeg worker (lib/engine/worker/), shipped as /ffmpeg-worker.js and started by the
// engine with `new Worker(...)`: a packaged file, so it works from the dev server too.
export default defineUnlistedScript(() => startFfmpegWorker(self as never));
