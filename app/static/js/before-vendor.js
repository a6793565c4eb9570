/* Loaded before Bootstrap Italia's bundle: its video player (video.js) must not inject <style> elements,
   which our Content-Security-Policy (style-src 'self') forbids; its default styles are in the vendored CSS. */
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
