// SKELETON (issue 18): filled in by the page's timeline work.
import { app } from './state.js';

export function initMoments() {
  void app;
}
