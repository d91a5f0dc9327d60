import "ckeditor5/ckeditor5.css";
import { ClassicEditor, Essentials, Paragraph, Bold, Italic, Undo } from "ckeditor5";

window.editorReady = ClassicEditor.create(document.getElementById("editor"), {
  licenseKey: "GPL",
  plugins: [Essentials, Paragraph, Bold, Italic, Undo],
  toolbar: ["undo", "redo", "|", "bold", "italic"],
}).then((editor) => {
  window.ckeditor = editor;
  const root = editor.model.document.getRoot();
  window.editorApi = {
    name: "ckeditor",
    getText: () =>
      [...root.getChildren()]
        .map((block) => [...block.getChildren()].map((node) => node.data ?? "").join(""))
        .join("\n"),
    focus: () => editor.editing.view.focus(),
    element: editor.editing.view.getDomRoot(),
  };
  return editor;
});
