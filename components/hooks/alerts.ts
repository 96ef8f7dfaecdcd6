import { useEffect, useState } from 'preact/hooks';
import { onAlerts, type Alert } from '@/lib/queue/alerts';

/** The alerts of failed actions on this page (lib/queue/alerts.ts), kept current. */
export function useAlerts(): readonly Alert[] {
  const [alerts, setAlerts] = useState<readonly Alert[]>([]);
  useEffect(() => onAlerts(setAlerts), []);
  return alerts;
}
