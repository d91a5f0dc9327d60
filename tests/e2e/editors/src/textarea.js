// The editor's own model is the textarea's value.
const editor = document.getElementById("editor");
window.editorApi = {
  name: "textarea",
  getText: () => editor.value,
  focus: () => editor.focus(),
  element: editor,
};
