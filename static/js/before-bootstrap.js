/* Runs before Bootstrap Italia's bundle. Its video player (video.js) would inject
   its default styles as an inline <style>, which the Content-Security-Policy
   refuses; QClub shows no video. */
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
