// Everything TinyMCE would fetch at run time is bundled, so the page loads nothing else.
import tinymce from "tinymce";
import "tinymce/models/dom";
import "tinymce/themes/silver";
import "tinymce/icons/default";
import "tinymce/skins/ui/oxide/skin.js";
import "tinymce/skins/ui/oxide/content.js";
import "tinymce/skins/content/default/content.js";

window.editorReady = tinymce
  .init({
    selector: "#editor",
    license_key: "gpl",
    menubar: false,
    statusbar: false,
    promotion: false,
    height: 260,
    skin_url: "default",
    content_css: "default",
  })
  .then(([editor]) => {
    window.tinyEditor = editor;
    window.editorApi = {
      name: "tinymce",
      getText: () => editor.getContent({ format: "text" }),
      focus: () => editor.focus(),
      element: editor.getBody(),
    };
    return editor;
  });
