#!/usr/bin/env bash
# Encodes the simulator's camera clips ONCE; the outputs in resources/video are committed and the
# simulator (src/sim/media.ts) serves them as live HLS. Re-run only to change the clips:
#
#   scripts/encode-clips.sh [OUT_DIR]        (default: resources/video; needs ffmpeg with libx264)
#
# Every clip is synthetic (lavfi sources + a drawn label), so there is nothing to license or fetch.
# Each clip is CLIP_SECONDS long at FPS frames/s with keyint = FPS and scene-cut detection off, so
# every 1-second segment starts with a keyframe and all segments last exactly 1 s: the simulator
# can then map any media sequence number to a segment with plain modular arithmetic. Segments are
# fragmented MP4 (init.mp4 + seg<N>.m4s): the simulator rewrites each fragment's decode time so a
# looped clip plays as one continuous timeline, and players append fMP4 without transmuxing.
set -euo pipefail

OUT_DIR="${1:-$(cd "$(dirname "$0")/.." && pwd)/resources/video}"
FPS=15
CLIP_SECONDS=6
FFMPEG="${FFMPEG:-ffmpeg}"

command -v "$FFMPEG" >/dev/null || { echo "ffmpeg not found (set FFMPEG=...)" >&2; exit 1; }

# A font for the label: an explicit file keeps the output identical across machines' fontconfig.
FONT_FILE=""
for f in /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
         /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf; do
  if [ -f "$f" ]; then FONT_FILE="$f"; break; fi
done
if [ -n "$FONT_FILE" ]; then FONT="fontfile=$FONT_FILE"; else FONT="font=Sans"; fi

# name|lavfi source at 1280x720 (scaled down for the sub variant)|label
CLIPS=(
  "corridor|testsrc2=size=1280x720:rate=$FPS|KUZET SIM  CAM A  corridor"
  "yard|mandelbrot=size=1280x720:rate=$FPS:start_scale=2.5:end_scale=0.6|KUZET SIM  CAM B  yard"
  "entrance|life=size=320x180:rate=$FPS:mold=10:ratio=0.3:death_color=#203040:life_color=#80ffb0,scale=1280x720:flags=neighbor|KUZET SIM  CAM C  entrance"
  "hall|smptehdbars=size=1280x720:rate=$FPS,drawbox=x='mod(t*240,1180)':y=420:w=100:h=180:color=orange@0.9:t=fill|KUZET SIM  CAM D  hall"
)

# variant|width|height|bitrate|profile   (sub is baseline: no CABAC, cheapest to decode on a wall of tiles)
VARIANTS=(
  "sub|640|360|400k|baseline"
  "main|1280|720|1200k|main"
)

rm -rf "$OUT_DIR"
mkdir -p "$OUT_DIR"
names=()
for clip in "${CLIPS[@]}"; do
  IFS='|' read -r name source label <<<"$clip"
  names+=("\"$name\"")
  for variant in "${VARIANTS[@]}"; do
    IFS='|' read -r vname width height bitrate profile <<<"$variant"
    dir="$OUT_DIR/$name/$vname"
    mkdir -p "$dir"
    fontsize=$((height / 18))
    vf="scale=${width}x${height},drawbox=x=0:y=0:w=iw:h=$((fontsize * 2)):color=black@0.55:t=fill"
    vf="$vf,drawtext=$FONT:text='$label':fontcolor=white:fontsize=$fontsize:x=$((fontsize / 2)):y=$((fontsize / 2))"
    vf="$vf,drawtext=$FONT:text='%{eif\:n+1\:d\:3}/$((FPS * CLIP_SECONDS))':fontcolor=white:fontsize=$fontsize:x=w-tw-$((fontsize / 2)):y=$((fontsize / 2)),format=yuv420p"
    "$FFMPEG" -nostdin -hide_banner -loglevel error -y \
      -f lavfi -i "$source" -t "$CLIP_SECONDS" -vf "$vf" -an \
      -c:v libx264 -profile:v "$profile" -level:v 3.1 -pix_fmt yuv420p -preset medium -threads 1 \
      -b:v "$bitrate" -maxrate "$bitrate" -bufsize "$bitrate" -bf 0 \
      -g "$FPS" -keyint_min "$FPS" -sc_threshold 0 -force_key_frames "expr:eq(mod(n,$FPS),0)" \
      -map_metadata -1 -fflags +bitexact -flags:v +bitexact \
      -f hls -hls_time 1 -hls_list_size 0 -hls_playlist_type vod \
      -hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4 \
      -hls_segment_filename "$dir/seg%d.m4s" "$dir/source.m3u8"
    # The manifest the simulator reads: segment files and their exact durations.
    segs=$(awk -F'[:,]' '/^#EXTINF/ { d = $2; getline; printf "%s{\"file\":\"%s\",\"duration\":%s}", sep, $0, d; sep = "," }' "$dir/source.m3u8")
    printf '{"clip":"%s","variant":"%s","width":%d,"height":%d,"fps":%d,"codecs":"%s","init":"init.mp4","segments":[%s]}\n' \
      "$name" "$vname" "$width" "$height" "$FPS" \
      "$([ "$profile" = baseline ] && echo avc1.42c01f || echo avc1.4d401f)" "$segs" >"$dir/manifest.json"
    rm "$dir/source.m3u8"
  done
  # A still frame of the clip: the AI evidence snapshot the simulator attaches to detections.
  cat "$OUT_DIR/$name/sub/init.mp4" "$OUT_DIR/$name/sub/seg2.m4s" |
    "$FFMPEG" -nostdin -hide_banner -loglevel error -y -f mp4 -i pipe:0 -frames:v 1 -q:v 6 "$OUT_DIR/$name/snapshot.jpg"
done
(IFS=,; printf '{"fps":%d,"segmentSeconds":1,"clips":[%s]}\n' "$FPS" "${names[*]}") >"$OUT_DIR/clips.json"
du -sh "$OUT_DIR"
