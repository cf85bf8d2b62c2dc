REM  govxl 宏（LibreOffice Basic 版）
REM  与 govxl/templates/govxl.bas（Excel VBA 版）做同样的事：读取第一个工作表 B2 的月份，
REM  以隐藏窗口、同步等待的方式运行 govxl score，读取 --result 写出的 UTF-8 JSON，
REM  把结果写回 B3（说明）、B4（退出码）、B5（排名工作簿路径）。
REM  测试用环境变量：GOVXL_MACRO_BOOK（要处理的工作簿）、GOVXL_MACRO_EXE（govxl 命令）。
Option Explicit

Sub RunGovxl
    Dim sBook As String, sExe As String
    Dim oDoc As Object, oSheet As Object
    On Error GoTo Failed
    sBook = Environ("GOVXL_MACRO_BOOK")
    sExe = Environ("GOVXL_MACRO_EXE")
    If sExe = "" Then sExe = "govxl"

    Dim aProps(0) As New com.sun.star.beans.PropertyValue
    aProps(0).Name = "Hidden"
    aProps(0).Value = True
    oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(sBook), "_blank", 0, aProps())
    oSheet = oDoc.Sheets.getByIndex(0)

    Dim sDir As String, sMonth As String, sResult As String, sArgs As String
    sDir = DirectoryOf(sBook)
    sMonth = MonthText(oSheet.getCellRangeByName("B2"))
    sResult = sDir & "/out/govxl-结果.json"
    If FileExists(sResult) Then Kill sResult

    sArgs = "score --month " & sMonth _
          & " --config " & Q(sDir & "/govxl.xlsx") _
          & " --out " & Q(sDir & "/out") _
          & " --result " & Q(sResult) _
          & " " & Q(sDir & "/workbooks")
    Shell(Q(sExe), 0, sArgs, True)   ' 0 = 隐藏窗口，True = 等待 govxl 结束（路径含空格时须加引号）

    Dim sJson As String, nCode As Long, sMsg As String, sOut As String
    If FileExists(sResult) Then
        sJson = ReadUtf8(sResult)
        nCode = CLng(Val(JsonValue(sJson, "exit_code")))
        sOut = FirstOutput(sJson)
        sMsg = Outcome(nCode, sJson)
    Else
        nCode = -1
        sMsg = "govxl 没有运行或没有写出结果文件，请检查 govxl 是否已安装"
    End If
    oSheet.getCellRangeByName("B3").setString(sMsg)
    oSheet.getCellRangeByName("B4").setValue(nCode)
    oSheet.getCellRangeByName("B5").setString(sOut)
    oDoc.store()
    oDoc.close(True)
    Exit Sub

Failed:
    ' headless, an error dialog would wait forever: record the error in the workbook instead
    If Not IsNull(oSheet) And Not IsEmpty(oSheet) Then
        oSheet.getCellRangeByName("B3").setString("宏运行出错：" & Error$ & "（第 " & Erl & " 行）")
        oSheet.getCellRangeByName("B4").setValue(-2)
        oDoc.store()
        oDoc.close(True)
    End If
End Sub

Function Outcome(nCode As Long, sJson As String) As String
    Select Case nCode
        Case 0
            Outcome = "计算完成：" & JsonIn(sJson, "period", "title") & "，报送 " & JsonIn(sJson, "totals", "submitted") _
                    & " 篇，采用 " & JsonIn(sJson, "totals", "adopted") & " 篇"
        Case 1
            Outcome = "计算完成，但有 " & CountErrors(sJson) & " 处数据错误，请查看排名工作簿的“数据问题”表"
        Case 2
            Outcome = "配置或用法错误：" & JsonValue(sJson, "error")
        Case 3
            Outcome = "输出文件被占用：" & JsonValue(sJson, "error")
        Case 4
            Outcome = "有登记表无法读取（已损坏、加密或不是表格），其余登记表已计算；共 " & CountErrors(sJson) & " 处错误"
        Case Else
            Outcome = "govxl 内部错误：" & JsonValue(sJson, "error")
    End Select
End Function

Function MonthText(oCell As Object) As String
    ' 用户输入 2025-10 时，表格软件可能把它变成日期：两种情况都取“年-月”
    If oCell.getType() = com.sun.star.table.CellContentType.VALUE Then
        MonthText = Format(CDate(oCell.getValue()), "YYYY-MM")
    Else
        MonthText = Trim(oCell.getString())
    End If
End Function

Function Q(s As String) As String
    Q = """" & s & """"
End Function

Function DirectoryOf(sPath As String) As String
    Dim i As Long
    For i = Len(sPath) To 1 Step -1
        If Mid(sPath, i, 1) = "/" Or Mid(sPath, i, 1) = "\" Then
            DirectoryOf = Left(sPath, i - 1)
            Exit Function
        End If
    Next i
    DirectoryOf = "."
End Function

Function ReadUtf8(sPath As String) As String
    Dim oSfa As Object, oIn As Object, oText As Object, s As String
    oSfa = createUnoService("com.sun.star.ucb.SimpleFileAccess")
    oIn = oSfa.openFileRead(ConvertToURL(sPath))
    oText = createUnoService("com.sun.star.io.TextInputStream")
    oText.setInputStream(oIn)
    oText.setEncoding("UTF-8")
    Do While Not oText.isEOF()
        s = s & oText.readLine() & Chr(10)
    Loop
    oText.closeInput()
    ReadUtf8 = s
End Function

REM ---- a minimal reader for the flat values of govxl's result JSON ----

Function JsonValue(sJson As String, sKey As String) As String
    JsonValue = JsonValueAt(sJson, sKey, 1)
End Function

Function JsonIn(sJson As String, sSection As String, sKey As String) As String
    ' the first sKey after "sSection": (totals, period ...)
    Dim p As Long
    p = InStr(1, sJson, """" & sSection & """:")
    If p = 0 Then
        JsonIn = ""
    Else
        JsonIn = JsonValueAt(sJson, sKey, p)
    End If
End Function

Function JsonValueAt(sJson As String, sKey As String, nStart As Long) As String
    Dim p As Long, c As String
    p = InStr(nStart, sJson, """" & sKey & """:")
    If p = 0 Then
        JsonValueAt = ""
        Exit Function
    End If
    p = p + Len(sKey) + 3
    Do While Mid(sJson, p, 1) = " "
        p = p + 1
    Loop
    If Mid(sJson, p, 1) = """" Then
        JsonValueAt = JsonString(sJson, p)
    Else
        Dim q As Long
        q = p
        Do While q <= Len(sJson)
            c = Mid(sJson, q, 1)
            If c = "," Or c = "}" Or c = "]" Or c = Chr(10) Or c = Chr(13) Then Exit Do
            q = q + 1
        Loop
        JsonValueAt = Trim(Mid(sJson, p, q - p))
    End If
End Function

Function JsonString(sJson As String, p As Long) As String
    ' p points at the opening quote
    Dim s As String, c As String, i As Long
    i = p + 1
    Do While i <= Len(sJson)
        c = Mid(sJson, i, 1)
        If c = """" Then Exit Do
        If c = "\" Then
            i = i + 1
            c = Mid(sJson, i, 1)
            Select Case c
                Case "n" : s = s & Chr(10)
                Case "t" : s = s & Chr(9)
                Case "r" : s = s & Chr(13)
                Case "u"
                    s = s & Chr(CLng("&H" & Mid(sJson, i + 1, 4)))
                    i = i + 4
                Case Else : s = s & c
            End Select
        Else
            s = s & c
        End If
        i = i + 1
    Loop
    JsonString = s
End Function

Function FirstOutput(sJson As String) As String
    Dim p As Long
    p = InStr(1, sJson, """outputs"":")
    If p = 0 Then Exit Function
    p = InStr(p, sJson, "[")
    Do While Mid(sJson, p + 1, 1) = " " Or Mid(sJson, p + 1, 1) = Chr(10) Or Mid(sJson, p + 1, 1) = Chr(13)
        p = p + 1
    Loop
    If Mid(sJson, p + 1, 1) = """" Then FirstOutput = JsonString(sJson, p + 1)
End Function

Function CountErrors(sJson As String) As Long
    Dim p As Long, n As Long
    p = InStr(1, sJson, """severity"": ""error""")
    Do While p > 0
        n = n + 1
        p = InStr(p + 1, sJson, """severity"": ""error""")
    Loop
    CountErrors = n
End Function
