import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PtzPreset } from '../../../shared/devices';
import { consoleClient } from '../../lib/console-api';
import { inlineText } from '../../lib/text';
import { useLocalCamerasStore } from './local-cameras';
import { createPtzDriver, type PtzVelocity } from './ptz-driver';

const KEY_SPEED = 0.5;
const KEYS: Record<string, Partial<PtzVelocity>> = {
  ArrowLeft: { pan: -KEY_SPEED },
  ArrowRight: { pan: KEY_SPEED },
  ArrowUp: { tilt: KEY_SPEED },
  ArrowDown: { tilt: -KEY_SPEED },
  '+': { zoom: KEY_SPEED },
  '=': { zoom: KEY_SPEED },
  '-': { zoom: -KEY_SPEED },
  _: { zoom: -KEY_SPEED },
};

/**
 * PTZ on a wall tile, for cameras whose local device has PTZ: a toggle, and while open a pad over
 * the picture (drag from where you press: direction and speed), hold-to-zoom buttons, presets,
 * and the arrow and +/- keys (they are the pad's while it is open; Escape closes it). Every
 * release stops the camera; services stop it too if a release is lost.
 */
export function PtzControls({ cameraId, index }: { cameraId: string; index: number }) {
  const { t } = useTranslation();
  const open = useLocalCamerasStore((s) => s.ptzTile === index);
  const setPtzTile = useLocalCamerasStore((s) => s.setPtzTile);
  const close = useCallback(() => setPtzTile(null), [setPtzTile]);
  return (
    <>
      <button
        type="button"
        className={`ptz-toggle${open ? ' on' : ''}`}
        data-testid="ptz-toggle"
        aria-pressed={open}
        title={t('ptz.toggle')}
        onClick={(e) => {
          e.stopPropagation();
          setPtzTile(open ? null : index);
        }}
        onDoubleClick={(e) => e.stopPropagation()}
      >
        {t('ptz.short')}
      </button>
      {open && <PtzPad cameraId={cameraId} onClose={close} />}
    </>
  );
}

function PtzPad({ cameraId, onClose }: { cameraId: string; onClose(): void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [presets, setPresets] = useState<readonly PtzPreset[]>([]);
  const [moving, setMoving] = useState(false);
  const origin = useRef<{ x: number; y: number; w: number; h: number } | null>(null);
  const driver = useMemo(() => {
    const client = consoleClient();
    return createPtzDriver(
      {
        move: (v) => client['ptz.move']({ cameraId, ...v }).then(() => setError(null)),
        stop: () => client['ptz.stop']({ cameraId }).then(() => undefined),
      },
      { onError: (e) => setError(e instanceof Error ? e.message : String(e)) },
    );
  }, [cameraId]);
  useEffect(() => () => driver.dispose(), [driver]);

  useEffect(() => {
    let live = true;
    consoleClient()['ptz.presets']({ cameraId })
      .then((r) => live && setPresets(r.presets))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [cameraId]);

  // The arrow and zoom keys are the pad's while it is open (capture phase: before the wall's map).
  useEffect(() => {
    const held = new Set<string>();
    const apply = () => {
      const v = { pan: 0, tilt: 0, zoom: 0 };
      for (const k of held) for (const [axis, speed] of Object.entries(KEYS[k] ?? {})) v[axis as keyof PtzVelocity] += speed;
      setMoving(held.size > 0);
      driver.set(v);
    };
    const typing = (e: KeyboardEvent) => e.target instanceof HTMLElement && (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName));
    const down = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        onClose();
        return;
      }
      if (!KEYS[e.key]) return;
      e.preventDefault();
      e.stopPropagation();
      if (held.has(e.key)) return;
      held.add(e.key);
      apply();
    };
    const up = (e: KeyboardEvent) => {
      if (!held.delete(e.key)) return;
      e.preventDefault();
      apply();
    };
    const blur = () => {
      held.clear();
      apply();
    };
    window.addEventListener('keydown', down, true);
    window.addEventListener('keyup', up, true);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down, true);
      window.removeEventListener('keyup', up, true);
      window.removeEventListener('blur', blur);
      driver.stop();
    };
  }, [driver, onClose]);

  const press = (e: ReactPointerEvent<HTMLDivElement>) => {
    // No tile drag, no text selection: this press steers the camera.
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    const r = e.currentTarget.getBoundingClientRect();
    origin.current = { x: e.clientX, y: e.clientY, w: r.width / 2, h: r.height / 2 };
    setMoving(true);
  };
  const drag = (e: ReactPointerEvent<HTMLDivElement>) => {
    const o = origin.current;
    if (!o) return;
    // Full speed at half the pad away from where the press began; screen y grows downwards.
    driver.set({ pan: (e.clientX - o.x) / o.w, tilt: -(e.clientY - o.y) / o.h, zoom: 0 });
  };
  const release = () => {
    if (!origin.current) return;
    origin.current = null;
    setMoving(false);
    driver.stop();
  };
  const zoomButton = (dir: 1 | -1, label: string, testid: string) => (
    <button
      type="button"
      className="ptz-zoom"
      data-testid={testid}
      aria-label={label}
      title={label}
      onPointerDown={(e) => {
        e.stopPropagation();
        e.currentTarget.setPointerCapture(e.pointerId);
        driver.set({ pan: 0, tilt: 0, zoom: dir * KEY_SPEED });
      }}
      onPointerUp={() => driver.stop()}
      onPointerCancel={() => driver.stop()}
      onClick={(e) => e.stopPropagation()}
    >
      {dir > 0 ? '+' : '−'}
    </button>
  );

  return (
    <div className={`ptz-pad${moving ? ' moving' : ''}`} data-testid="ptz-pad" onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
      <div
        className="ptz-surface"
        data-testid="ptz-surface"
        role="application"
        aria-label={t('ptz.padAria')}
        onPointerDown={press}
        onPointerMove={drag}
        onPointerUp={release}
        onPointerCancel={release}
        onLostPointerCapture={release}
        onMouseDown={(e) => e.preventDefault()}
      >
        <span className="ptz-hint">{t('ptz.hint')}</span>
      </div>
      <div className="ptz-bar">
        {zoomButton(1, t('ptz.zoomIn'), 'ptz-zoom-in')}
        {zoomButton(-1, t('ptz.zoomOut'), 'ptz-zoom-out')}
        <select
          data-testid="ptz-presets"
          aria-label={t('ptz.presets')}
          value=""
          disabled={presets.length === 0}
          onChange={(e) => {
            const token = e.target.value;
            if (!token) return;
            consoleClient()['ptz.gotoPreset']({ cameraId, presetToken: token })
              .then(() => setError(null))
              .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
          }}
        >
          <option value="">{t('ptz.presets')}</option>
          {presets.map((p) => (
            <option key={p.token} value={p.token}>
              {inlineText(p.name || p.token, 60)}
            </option>
          ))}
        </select>
        <button type="button" className="ptz-close" data-testid="ptz-close" onClick={onClose}>
          {t('ptz.close')}
        </button>
      </div>
      {error && (
        <p className="ptz-error" role="alert" data-testid="ptz-error">
          {inlineText(error, 200)}
        </p>
      )}
    </div>
  );
}
